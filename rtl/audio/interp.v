// The interpolation engine: up to three 2x FIR stages run one after the other on the MAC lane,
// once per input frame, for both channels (bit-exact model: ip_engine_push in sim/interp.c).
//
// Each input frame writes L and R into stage 1's history ring; then for each stage s in turn
// (as many as the ratio asks, at least one) the sequencer runs its passes, q = {j, ch, p}: for
// each new input j of the stage, channel and phase, the taps of that phase against the history
// (a phase is a run of taps: count, offset of its first tap in the history, coefficient address;
// a halfband's second phase is its one centre tap of 1.0). A pass's result is output 2j + p of
// the stage: it goes into the next stage's ring, or, from the last stage, to the output block.
// Before a stage starts, every result of the one before is written (no pass reads a sample
// still in the MAC lane). NOS runs the same schedule with every phase the unity tap, so each
// stage repeats its input; 1x is NOS with one stage whose second phase goes unread.
//
// History: one 512 x 24 block RAM. Stage 1's ring is 128 samples a channel (0x000-0x0FF),
// stage 2's and 3's 32 (0x100-0x13F, 0x140-0x17F); the newest sample of frame F is F in ring 1,
// 2F + j in ring 2 and 4F + j in ring 3. The rings are not cleared: the path in front runs
// silence through them after start-up and after every change of the ratio (audio_path).
//
// Cycles per frame, both channels: taps + 4 a pass + 10 a stage + 3. The default filters at 8x
// take 418 taps in 28 passes: 563 of the 1024 cycles at 48 kHz; at 2x, 2 x 103 taps: 239 of 256.
`default_nettype none

module interp (
    input  wire        clk,
    input  wire        rst,
    // settings, taken at each frame
    input  wire [1:0]  ratio_log2,  // 0: 1x, 1: 2x, 2: 4x, 3: 8x (the rate's limit applied)
    input  wire        nos,
    input  wire [2:0]  s1_bank,     // the stage-1 bank in force (0: the built-in filter)
    input  wire [8:0]  s1_taps,     // its taps, 2..256 (a bank other than 0)
    output wire        ready,       // the coefficients are in place
    // the coefficient store's host port (coef_store.v)
    input  wire        coef_req,
    input  wire        coef_we,
    input  wire [11:0] coef_addr,
    input  wire [31:0] coef_wdata,
    output wire        coef_grant,
    output wire [31:0] coef_rdata,  // the cycle after a granted read
    // input frames
    input  wire        in_valid,    // strobe; in_l and in_r held until the next
    input  wire [23:0] in_l,
    input  wire [23:0] in_r,
    // the output block: frame i of 2^ratio_log2, channel ch at {i, ch}
    output reg         out_we,
    output reg  [3:0]  out_addr,
    output wire [23:0] out_data,
    output reg         block_done,  // strobe: the frame's whole block is written
    output reg         overrun      // strobe: a frame came before the last one was done
);
    `include "interp.vh"
    /* verilator lint_off UNUSEDPARAM */
    `include "coef_layout.vh"  // the phases (BUILTIN_TAPS, bank 0's length, is for the banks' registers)
    /* verilator lint_on UNUSEDPARAM */

    // ---- phase descriptors: taps - 1, history offset, coefficient address
    localparam [1:0] NOS_STAGE = 2'd3;  // the descriptor index of the unity tap
    localparam integer GAP_WAIT_I = MAC_GAP - 1;  // cycles in S_GAP; S_SETUP is the gap's last
    localparam [1:0]   GAP_WAIT = GAP_WAIT_I[1:0];
    // a loaded bank's phase p: its taps 2k + p from history offset 0, at 256 bank + 128 p
    reg  [2:0] bank;
    reg  [6:0] bank_taps0, bank_taps1;  // taps - 1 of each phase
    function automatic [25:0] phase_of(input [1:0] stage, input p);
        case ({stage, p})
            3'b00_0: phase_of = bank == 3'd0 ? PHASE_S1P0 : {bank_taps0, 7'd0, 1'b0, bank, 8'd0};
            3'b00_1: phase_of = bank == 3'd0 ? PHASE_S1P1 : {bank_taps1, 7'd0, 1'b0, bank, 8'd128};
            3'b01_0: phase_of = PHASE_S2P0;
            3'b01_1: phase_of = PHASE_S2P1;
            3'b10_0: phase_of = PHASE_S3P0;
            3'b10_1: phase_of = PHASE_S3P1;
            default: phase_of = PHASE_ONE;
        endcase
    endfunction

    // ---- the frame: its number, the settings it runs with
    localparam [2:0] S_IDLE = 3'd0, S_IN_L = 3'd1, S_IN_R = 3'd2, S_SETUP = 3'd3, S_TAPS = 3'd4,
                     S_GAP = 3'd5, S_DRAIN = 3'd6;
    reg [2:0] state;
    reg [6:0] frame;      // F
    reg [1:0] last_stage; // the stages run: 0 .. last_stage
    reg       unity;      // NOS: every phase the unity tap
    reg [1:0] stage;
    reg [3:0] q;          // {j, ch, p}
    reg [6:0] left;       // taps after this one
    reg [6:0] hp;         // history index of the tap
    reg [11:0] ca;        // coefficient address of the tap
    reg [1:0] gap;
    reg       first;
    reg       tap_last;   // the tap under way is its pass's last (decided a cycle ahead)
    reg [1:0] res_stage;  // the results counted: stage and pass
    reg [3:0] res_q;

    wire       pass_ch = q[1];
    wire [1:0] pass_j  = q[3:2];
    wire [3:0] q_last  = stage == 2'd0 ? 4'd3 : stage == 2'd1 ? 4'd7 : 4'd15;
    // the next pass's descriptor and newest input, registered: a pass is set up from them after
    // at least a cycle in S_GAP, where stage and q have their new values
    reg  [25:0] desc;
    reg  [6:0]  newest_q;
    // the stage's newest input j: F, 2F + j or 4F + j (rings 2 and 3 are 32 long)
    wire [6:0] newest  = stage == 2'd0 ? frame : stage == 2'd1 ? {frame[5:0], pass_j[0]}
                                                              : {frame[4:0], pass_j};
    wire       tap     = state == S_TAPS;
    always @(posedge clk) begin
        desc     <= phase_of(unity ? NOS_STAGE : stage, q[0]);
        newest_q <= newest;
    end
    wire       res_valid;
    wire [23:0] res_y;
    wire [3:0] res_last = res_stage == 2'd0 ? 4'd3 : res_stage == 2'd1 ? 4'd7 : 4'd15;
    reg        results_in;  // every result of this stage is written (a cycle late: no hurry)

    reg start;  // a frame came while idle: registered, it fans out wide
    always @(posedge clk) begin
        start   <= in_valid && ready && state == S_IDLE && !start;
        overrun <= in_valid && (state != S_IDLE || start);
    end

    always @(posedge clk)
        tap_last <= state == S_SETUP ? desc[25:19] == 7'd0 : state == S_TAPS && left == 7'd1;
    // the coefficient store's port is the engine's while it runs taps (S_TAPS), else the host's
    // (coef_store decides the host's grant for a cycle in the cycle before, from busy_next)
    wire coef_busy_next = !rst && (state == S_SETUP || (state == S_TAPS && !tap_last));

    always @(posedge clk) begin
        results_in <= res_stage != stage && state == S_DRAIN;
        if (rst)
            state <= S_IDLE;
        else case (state)
            S_IDLE:   if (start) state <= S_IN_L;
            S_IN_L:   state <= S_IN_R;
            S_IN_R:   state <= S_GAP;
            S_SETUP:  state <= S_TAPS;
            S_TAPS:   if (tap_last) state <= q == q_last ? S_DRAIN : S_GAP;
            S_GAP:    if (gap == 2'd1) state <= S_SETUP;
            S_DRAIN:  if (results_in) state <= stage == last_stage ? S_IDLE : S_GAP;
            default:  state <= S_IDLE;
        endcase
    end

    // the pass's counters and addresses: no reset (a frame starts them over); each moves on
    // a state and one flag, so that no enable waits on a chain of decisions
    wire frame_starts = state == S_IDLE && start;
    /* verilator lint_off UNUSEDSIGNAL */
    wire [8:0] s1_taps_less1 = s1_taps - 9'd1, s1_taps_less2 = s1_taps - 9'd2;  // 1..255, 0..254
    /* verilator lint_on UNUSEDSIGNAL */
    wire stage_done   = state == S_DRAIN && results_in;
    always @(posedge clk) begin
        if (frame_starts) begin
            frame      <= frame + 7'd1;
            last_stage <= ratio_log2 == 2'd0 ? 2'd0 : ratio_log2 - 2'd1;
            unity      <= nos || ratio_log2 == 2'd0;
            bank       <= s1_bank;
            bank_taps0 <= s1_taps_less1[7:1];  // ceil(N / 2) - 1
            bank_taps1 <= s1_taps_less2[7:1];  // floor(N / 2) - 1
        end
        if (frame_starts)
            stage <= 2'd0;
        else if (stage_done)
            stage <= stage + 2'd1;
        if (frame_starts || stage_done)
            q <= 4'd0;
        else if (state == S_TAPS && tap_last)
            q <= q + 4'd1;
        if (state == S_SETUP) begin
            left <= desc[25:19];
            hp   <= newest_q - desc[18:12];
            ca   <= desc[11:0];
        end else begin
            left <= left - 7'd1;
            hp   <= hp - 7'd1;
            ca   <= ca + 12'd1;
        end
        if (state == S_TAPS)
            gap <= GAP_WAIT;  // the setup cycle is the gap's last
        else if (state == S_GAP)
            gap <= gap - 2'd1;
        else
            gap <= 2'd1;      // from S_IN_R and S_DRAIN: one cycle in S_GAP
        first <= state == S_SETUP;
    end

    // ---- the history RAM: the inputs at the frame's start, the results of stages 1 and 2.
    // A tap never reads the word being written (inputs go in outside S_TAPS; a stage's results
    // go to the next stage's ring, which is read only once they are all in: S_DRAIN), so the
    // RAM needs no read-during-write logic; simulation checks it
    (* no_rw_check *) reg  [23:0] hist [0:511];
    reg  [23:0] hist_q;
    reg         tap_q, first_q, last_q;
    wire [8:0]  raddr = stage == 2'd0 ? {1'b0, pass_ch, hp}
                      : {2'b10, stage[1], pass_ch, hp[4:0]};
    reg         hw;
    reg  [8:0]  hw_addr;
    reg  [23:0] hw_data;
    always @(posedge clk) begin
        hist_q  <= hist[raddr];
        tap_q   <= tap;
        first_q <= first;
        last_q  <= tap && tap_last;
        if (hw)
            hist[hw_addr] <= hw_data;
    end
`ifndef SYNTHESIS
    // from the first reset on (before it, the state is random)
    reg checking = 1'b0;
    always @(posedge clk) begin
        checking <= checking || rst;
        if (checking && !rst && hw && tap && hw_addr == raddr)
            $error("interp: a tap reads the history word being written");
    end
`endif

    wire [31:0] coef;
    coef_store u_coef (
        .clk         (clk),
        .rst         (rst),
        .ready       (ready),
        .engine_busy_next (coef_busy_next),
        .rd_addr     (ca),
        .rd_data     (coef),
        .host_req    (coef_req),
        .host_we     (coef_we),
        .host_addr   (coef_addr),
        .host_wdata  (coef_wdata),
        .host_grant  (coef_grant)
    );
    assign coef_rdata = coef;

    mac_lane u_mac (
        .clk        (clk),
        .in_valid   (tap_q),
        .in_first   (first_q),
        .in_last    (last_q),
        .in_d       (hist_q),
        .in_c       (coef),
        .out_valid  (res_valid),
        .out_y      (res_y)
    );

    // ---- results, in the order of the passes: output 2j + p of the stage, channel ch. Whether
    // the next result is its stage's last, and of the last stage, is registered between
    // results (they come a pass apart: five cycles at least), so a result's strobe steers the
    // counters through one level
    wire       res_ch    = res_q[1];
    reg        res_final, res_at_last;
    always @(posedge clk) begin
        res_final   <= res_stage == last_stage;
        res_at_last <= res_q == res_last;
    end
    wire in_l_now = state == S_IN_L, in_r_now = state == S_IN_R;
    assign out_data = hw_data;  // a result, when out_we
    always @(posedge clk) begin
        // the write port's word, every cycle (no enables: they would fan out from the MAC's
        // out_valid); the inputs go in at the new frame's index
        // (results count once the coefficients are in: the MAC lane's pipeline is empty by then,
        // whatever its flip-flops held at configuration)
        hw         <= in_l_now || in_r_now || (res_valid && !res_final && ready);
        hw_addr    <= in_l_now ? {2'b00, frame} : in_r_now ? {2'b01, frame}
                    // ring 2: 2F + p; ring 3: 4F + 2j + p
                    : res_stage == 2'd0 ? {3'b100, res_ch, frame[3:0], res_q[0]}
                    : {3'b101, res_ch, frame[2:0], res_q[2], res_q[0]};
        hw_data    <= in_l_now ? in_l : in_r_now ? in_r : res_y;
        out_we     <= res_valid && res_final && ready;
        out_addr   <= {res_q[3:2], res_q[0], res_ch};
        block_done <= res_valid && res_final && res_at_last && ready;
        if (in_l_now) begin
            res_stage <= 2'd0;
            res_q     <= 4'd0;
        end else if (res_valid) begin
            res_q <= res_at_last ? 4'd0 : res_q + 4'd1;
            if (res_at_last)
                res_stage <= res_stage + 2'd1;
        end
    end
endmodule
