// The stage-1 filter banks: a register bus target for the window 0x8000-0x8FFF, the banks
// (FILTER_COEFS 0x8000-0x87FF, FILTER_INFO 0x8800-0x881F, both kept in the coefficient store,
// coef_store.v) and their registers (FILTER_STATUS, FILTER_COMMIT, FILTER_SELECT at 0x8820),
// and the switch from one bank to another.
//
// Writing a bank: bank 0 (built in) and the live bank are read-only (BAD_ADDR), so nothing the
// host sends, whole or cut short, reaches the filter that plays; a tap written takes away its
// bank's committed state. FILTER_COMMIT {bank, taps} then checks, while the write waits for its
// answer: the bank is not 0 or live, and the checksum of taps 0..N-1 as the store holds them
// (read back, a word a cycle: c = rotl(c, 1) ^ tap, from c = 'BLNC', then the CHECK word the
// same way) comes to zero
// (ip_bank_check in sim/interp.c): a bank written in part, or corrupted, fails it. Refused,
// FILTER_STATUS.RESULT says why and nothing else changes. Accepted, the bank's
// FILTER_INFO.TAPS takes the FILTER_COMMIT word and the switch starts (FILTER_STATUS.PENDING;
// every write to the banks and every commit or select answers BUSY until it ends):
//   fade out: `hold` takes the four lanes' gains down to silence, by their ramp (lane_gain:
//             steps of at most GAIN_STEP an output frame), until they say `gains_quiet`;
//   swap:     the engine takes the new bank at its next frame (and flushes its rings: the
//             output is silent already);
//   fade in:  once the engine plays again, hold ends and the gains ramp back up.
// FILTER_SELECT does the same for a bank committed before, with the length from its INFO.
`default_nettype none

module filter_bank (
    input  wire        clk,
    input  wire        rst,
    // register bus target (docs/buses.md): the window 0x8000-0x8FFF
    input  wire        req,
    input  wire [1:0]  op,
    input  wire [11:0] addr,          // within the window (the decoder sends no other)
    input  wire [31:0] wdata,
    output reg         ack,
    output reg  [1:0]  resp,
    output wire [31:0] rdata,         // zero but in the answer's cycle
    // the coefficient store's host port
    output reg         coef_req,
    output reg         coef_we,
    output wire [11:0] coef_addr,     // held a cycle before coef_req rises (coef_store.v)
    output wire [31:0] coef_wdata,
    input  wire        coef_grant,
    input  wire [31:0] coef_rdata,
    // the switch
    input  wire        engine_plays,  // the engine's rings are flushed (AUDIO_STATUS.FILTER_READY)
    output reg         hold,          // the lanes' gains to silence
    input  wire        gains_quiet,   // they are there
    input  wire        short,         // the live bank is too long for the rate: bank 0 plays
    output reg  [2:0]  live,
    output reg  [8:0]  live_taps
);
    `include "regmap.vh"
    `include "bus.vh"
    /* verilator lint_off UNUSEDPARAM */
    `include "coef_layout.vh"  // BUILTIN_TAPS: bank 0's length
    /* verilator lint_on UNUSEDPARAM */

    localparam [8:0] TAPS_MIN = 9'd2;
    localparam [8:0] TAPS_MAX = BAL_FILTER_TAPS_MAX[8:0];
    localparam [1:0] INFO_CHECK = 2'd2, INFO_TAPS = 2'd3;
    localparam [1:0] R_STATUS = REG_FILTER_STATUS[1:0], R_COMMIT = REG_FILTER_COMMIT[1:0];

    // ---- the request: its address taken into flip-flops here first (the master's is far
    // away), then decoded with the master's word (held; it comes from a RAM), then judged from
    // flip-flops. The decoder sends this target the window 0x8000-0x8FFF only: the address's
    // low 12 bits tell all
    initial if (BLK_FILTER_COEFS_BASE != 16'h8000 || REG_FILTER_STATUS[15:12] != 4'h8)
        $error("filter_bank decodes the window 0x8000-0x8FFF from its low 12 bits");
    // the request sequencer's states (below)
    localparam [3:0] S_IDLE = 4'd0, S_DECODE = 4'd1, S_FLAGS = 4'd2, S_PLAN = 4'd3, S_JUDGE = 4'd4,
                     S_ASK = 4'd5, S_MEM = 4'd6, S_MEM_Q = 4'd7, S_WORD = 4'd8, S_SUMMED = 4'd9,
                     S_DECIDE = 4'd10, S_ACK = 4'd11, S_ADDR = 4'd12;
    reg [3:0]  state;
    reg [11:0] a_q;
    reg        is_reg, is_win, is_info;  // a FILTER_ register; a bank word; an INFO word
    reg [1:0]  reg_a;
    reg [2:0]  bank;        // the bank it names: its window address, or COMMIT/SELECT.BANK
    reg [7:0]  idx;         // the store word: tap or INFO word (the verify's tap later; set by
                            // the sequencer)
    reg [8:0]  taps;        // FILTER_COMMIT.TAPS
    reg [7:0]  stray;       // bits outside the fields, in groups of four (bus.vh)
    reg        taps_bad, is_live, is_built_in, is_valid;
    reg [7:0]  valid;       // the banks committed (and not written since)
    always @(posedge clk) begin
        if (req)
            a_q <= addr;
        if (state == S_ADDR) begin
            is_reg  <= a_q[11:2] == REG_FILTER_STATUS[11:2] && a_q[1:0] != 2'd3;
            is_win  <= !a_q[11] || a_q[11:5] == BLK_FILTER_INFO_BASE[11:5];
            is_info <= a_q[11:5] == BLK_FILTER_INFO_BASE[11:5];
            reg_a   <= a_q[1:0];
            bank    <= !a_q[11] ? a_q[10:8] : a_q[11:5] == BLK_FILTER_INFO_BASE[11:5]
                     ? a_q[4:2] : wdata[F_FILTER_COMMIT_BANK +: 3];
            taps    <= wdata[F_FILTER_COMMIT_TAPS +: 9];
            stray   <= stray_groups(wdata & ~(a_q[1:0] == R_COMMIT ? REG_FILTER_COMMIT_WMASK
                                                                   : REG_FILTER_SELECT_WMASK));
        end
        taps_bad      <= taps < TAPS_MIN || taps > TAPS_MAX;
        is_live       <= bank == live;
        is_built_in   <= bank == 3'd0;
        is_valid      <= valid[bank];
    end

    // ---- the request sequencer
    localparam [2:0] MEM_RW = 3'd0, MEM_VERIFY = 3'd1, MEM_CHECK = 3'd2, MEM_MARK = 3'd3,
                     MEM_LOOKUP = 3'd4;
    reg [2:0]  mem_for;      // what the store access is for
    reg        mem_info;     // it is to an INFO word
    reg        read_status;  // word_q takes FILTER_STATUS rather than the store's word
    reg [31:0] word_q;       // the store's word, registered (the SPRAMs sit at the die's corners)
    reg [3:0]  result;
    reg        pending;
    reg        start_switch; // strobe, with target and target_taps
    reg [2:0]  target;
    reg [8:0]  target_taps;
    reg        verify_last;  // the tap being read is the last
    reg [31:0] acc;          // rotl(acc, 1) ^ each word read: the checksum (the CHECK word
                             // last), or, from zero, the word a read answers with
    reg        sum_zero;

    // the store's word: tap i of bank b at 256 b + 128 (i & 1) + (i >> 1), INFO at 0xC00 + 4 b;
    // the word written is always the request's: a tap, a name or CHECK word, or, when a commit is
    // accepted, the FILTER_COMMIT word itself as the bank's INFO.TAPS
    assign coef_addr = mem_info ? {4'hC, 3'b000, bank, idx[1:0]} : {1'b0, bank, idx[0], idx[7:1]};
    assign coef_wdata = wdata;

    // the answer's data is acc: zero but while a request of this target's is served (so the
    // decoder needs no gate for it: reg_decoder's T_GATED); FILTER_STATUS comes through word_q
    wire [31:0] status = ({31'd0, short} << F_FILTER_STATUS_SHORT) |
                         ({23'd0, live_taps} << F_FILTER_STATUS_TAPS) |
                         ({24'd0, valid} << F_FILTER_STATUS_VALID) |
                         ({28'd0, result} << F_FILTER_STATUS_RESULT) |
                         ({31'd0, pending} << F_FILTER_STATUS_PENDING) |
                         ({29'd0, live} << F_FILTER_STATUS_LIVE);
    assign rdata = acc;

    // a store access, for what: its address is registered first (S_ASK), then it is asked for
    task automatic access(input we, input info, input [2:0] why);
        begin
            coef_we  <= we;
            mem_info <= info;
            mem_for  <= why;
            state    <= S_ASK;
        end
    endtask

    // ---- the plan for the request, from the decode's flags (S_FLAGS), for S_JUDGE
    localparam [2:0] ACT_NONE = 3'd0, ACT_STATUS = 3'd1, ACT_RW = 3'd2, ACT_VERIFY = 3'd3,
                     ACT_LOOKUP = 3'd4;
    reg  [1:0] plan_resp;
    reg  [2:0] plan_act;
    reg        plan_sets;    // the request settles FILTER_STATUS.RESULT now
    reg  [3:0] plan_result;
    reg        is_write, is_commit, ro_word, bad_value;
    always @(posedge clk) begin
        is_write  <= op == BUS_WRITE;
        is_commit <= reg_a == R_COMMIT;
        ro_word   <= is_reg ? reg_a == R_STATUS
                            : is_built_in || is_live || (is_info && idx[1:0] == INFO_TAPS);
        bad_value <= is_reg && (stray != 8'd0 || (is_commit && taps_bad));
        plan_resp <= !is_reg && !is_win ? BUS_BAD_ADDR
                   : op != BUS_CHECK_WR ? BUS_OK
                   : ro_word ? BUS_BAD_ADDR : bad_value ? BUS_BAD_VALUE : pending ? BUS_BUSY : BUS_OK;
        plan_act  <= !is_reg && !is_win ? ACT_NONE
                   : op == BUS_READ ? (!is_reg ? ACT_RW : reg_a == R_STATUS ? ACT_STATUS : ACT_NONE)
                   : !is_write ? ACT_NONE
                   : is_win ? ACT_RW
                   : is_commit ? (is_built_in || is_live ? ACT_NONE : ACT_VERIFY)
                   : !is_valid || is_live ? ACT_NONE : ACT_LOOKUP;
        plan_sets <= is_reg && is_write && !(is_commit && !is_built_in && !is_live) &&
                     !(!is_commit && is_valid && !is_live);
        plan_result <= is_commit ? (is_built_in ? V_FILTER_STATUS_RESULT_BUILT_IN : V_FILTER_STATUS_RESULT_LIVE)
                                 : is_valid ? V_FILTER_STATUS_RESULT_OK : V_FILTER_STATUS_RESULT_EMPTY;
    end

    always @(posedge clk) begin
        ack          <= 1'b0;
        start_switch <= 1'b0;
        if (rst) begin
            state    <= S_IDLE;
            coef_req <= 1'b0;
            result   <= V_FILTER_STATUS_RESULT_NONE;
        end else case (state)
            S_IDLE: begin  // the last answer's data is taken: none until the next
                read_status <= 1'b0;
                if (req)
                    state <= S_ADDR;
            end
            S_ADDR: begin  // a_q holds the address: the decode takes it
                idx   <= a_q[7:0];
                state <= S_DECODE;
            end
            S_DECODE: state <= S_FLAGS;
            S_FLAGS:  state <= S_PLAN;
            S_PLAN:   state <= S_JUDGE;
            S_JUDGE: begin  // as planned
                resp        <= plan_resp;
                state       <= S_ACK;
                if (plan_sets)
                    result <= plan_result;
                case (plan_act)
                    ACT_RW:
                        access(is_write, is_info, MEM_RW);
                    ACT_STATUS: begin  // through word_q, as a word read
                        read_status <= 1'b1;
                        coef_we     <= 1'b0;
                        mem_for     <= MEM_RW;
                        state       <= S_MEM_Q;
                    end
                    ACT_VERIFY: begin  // read the taps back through the checksum, from tap 0
                        idx <= 8'd0;
                        access(1'b0, 1'b0, MEM_VERIFY);
                    end
                    ACT_LOOKUP: begin  // the length, from the bank's INFO.TAPS
                        idx <= {6'd0, INFO_TAPS};
                        access(1'b0, 1'b1, MEM_LOOKUP);
                    end
                    default: ;
                endcase
            end
            S_ASK: begin
                coef_req <= 1'b1;
                state    <= S_MEM;
            end
            S_MEM:  // the store's port: granted when the engine is not running taps
                if (coef_grant) begin
                    coef_req <= 1'b0;
                    state    <= S_MEM_Q;
                end
            S_MEM_Q:  // a word read is in coef_rdata, and in word_q from the next cycle
                state <= S_WORD;
            S_WORD:  // the word read is in word_q (acc takes it)
                case (mem_for)
                    MEM_VERIFY:
                        if (verify_last) begin
                            idx <= {6'd0, INFO_CHECK};
                            access(1'b0, 1'b1, MEM_CHECK);
                        end else begin
                            idx <= idx + 8'd1;
                            access(1'b0, 1'b0, MEM_VERIFY);
                        end
                    MEM_CHECK:
                        state <= S_SUMMED;
                    MEM_MARK: begin
                        start_switch <= 1'b1;
                        target_taps  <= taps;
                        result       <= V_FILTER_STATUS_RESULT_OK;
                        state        <= S_ACK;
                    end
                    MEM_LOOKUP: begin
                        start_switch <= 1'b1;
                        target_taps  <= word_q[F_FILTER_COMMIT_TAPS +: 9];
                        result       <= V_FILTER_STATUS_RESULT_OK;
                        state        <= S_ACK;
                    end
                    default:  // MEM_RW: acc has the word read
                        state <= S_ACK;
                endcase
            S_SUMMED: state <= S_DECIDE;  // sum_zero is the whole sum's
            S_DECIDE:
                if (sum_zero) begin  // the bank's INFO.TAPS, then the switch
                    idx <= {6'd0, INFO_TAPS};
                    access(1'b1, 1'b1, MEM_MARK);
                end else begin
                    result <= V_FILTER_STATUS_RESULT_BAD_CHECK;
                    state  <= S_ACK;
                end
            default: begin  // S_ACK
                ack   <= 1'b1;
                state <= S_IDLE;
            end
        endcase
    end

    // ---- the checksum of the taps read back, and the CHECK word: zero when they agree.
    // What acc does is decided a cycle ahead from the state that always comes before: S_IDLE
    // (after S_ACK, or waiting), S_JUDGE (after S_PLAN, plan_act settled), S_WORD (after
    // S_MEM_Q), so acc's enable and clear come from three flip-flops
    reg acc_clear, acc_magic, acc_step;
    always @(posedge clk) begin
        acc_clear <= rst || state == S_ACK || state == S_IDLE;
        acc_magic <= state == S_PLAN && plan_act == ACT_VERIFY;
        acc_step  <= state == S_MEM_Q;
    end
    always @(posedge clk) begin
        word_q <= read_status ? status : coef_rdata;
        if (acc_clear)
            acc <= 32'd0;  // in S_IDLE, after the answer's cycle: zero until the next
        else if (acc_magic)
            acc <= BAL_MAGIC;  // a bank of zeros and a CHECK of zero must not pass
        else if (acc_step)
            acc <= {acc[30:0], acc[31]} ^ word_q;
        sum_zero    <= acc == 32'd0;
        verify_last <= {1'b0, idx} + 9'd1 == taps;  // decided while the store is asked
    end

    // ---- the committed banks: a tap written takes its bank's away
    wire tap_write = state == S_MEM_Q && mem_for == MEM_RW && coef_we && !mem_info;
    wire marked    = state == S_WORD && mem_for == MEM_MARK;
    always @(posedge clk) begin
        if (rst)
            valid <= 8'd1;
        else if (tap_write)
            valid[bank] <= 1'b0;
        else if (marked)
            valid[bank] <= 1'b1;
        if (start_switch)
            target <= bank;
    end

    // ---- the switch: the gains down, swap, wait for the engine, the gains up
    localparam [1:0] W_IDLE = 2'd0, W_OUT = 2'd1, W_SETTLE = 2'd2;
    reg [1:0] sw;
    reg [2:0] settle;  // cycles for the engine to see the new bank and start its flush
    always @(posedge clk) begin
        if (rst) begin
            sw        <= W_IDLE;
            pending   <= 1'b0;
            hold      <= 1'b0;
            live      <= 3'd0;
            live_taps <= BUILTIN_TAPS;
        end else case (sw)
            W_IDLE:
                if (start_switch) begin
                    pending <= 1'b1;
                    hold    <= 1'b1;
                    sw      <= W_OUT;
                end
            W_OUT:
                if (gains_quiet) begin  // swap: the output is silent
                    live      <= target;
                    live_taps <= target_taps;
                    settle    <= 3'd7;
                    sw        <= W_SETTLE;
                end
            default: begin  // W_SETTLE
                if (settle != 3'd0)
                    settle <= settle - 3'd1;
                else if (engine_plays) begin
                    hold    <= 1'b0;
                    pending <= 1'b0;
                    sw      <= W_IDLE;
                end
            end
        endcase
    end
endmodule
