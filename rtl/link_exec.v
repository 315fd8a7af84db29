// Link request executor. For each frame from link_rx it checks, in order: CRC, operation,
// length, duplicate, then every address and value of the request; only a request that passes
// every check is applied, so a frame is all or nothing. Every frame is answered.
// A WRITE whose sequence number and CRC equal the last WRITE's, with no other request between
// them, is a retry: it is answered with the first answer and not applied again. Any other
// request with a good CRC (NOP, READ, a different WRITE, a malformed one) forgets the last
// WRITE, so a later write that happens to repeat its seq and CRC is applied.
`default_nettype none

module link_exec #(
    parameter integer MAX_WORDS = 256,
    parameter integer LEN_W     = 11,
    parameter integer WORD_AW   = 8
) (
    input  wire               clk,
    input  wire               rst,
    // frame from link_rx
    input  wire               frame_valid,
    output reg                frame_release,
    input  wire [7:0]         f_seq,
    input  wire [7:0]         f_op,
    input  wire [15:0]        f_addr,
    input  wire [15:0]        f_count,
    input  wire [15:0]        f_crc,
    input  wire               f_crc_ok,
    input  wire [LEN_W-1:0]   f_len,
    output wire [WORD_AW-1:0] buf_raddr,  // follows index: word i arrives a cycle later
    input  wire [31:0]        buf_rdata,
    // register bus, pipelined in the register file: rd_ok/wr_ok judge bus_addr two cycles on,
    // value_ok judges bus_wdata one cycle on (set a cycle after the address); bus_rdata is valid
    // two cycles after bus_addr (reads have no side effects: no strobe)
    output reg  [15:0]        bus_addr,
    output reg  [31:0]        bus_wdata,
    output reg                bus_we,
    input  wire [31:0]        bus_rdata,
    input  wire               bus_rd_ok,
    input  wire               bus_wr_ok,
    input  wire               bus_value_ok,
    // response bytes (unescaped, without CRC) to link_tx
    output reg  [7:0]         out_data,
    output reg                out_valid,
    output reg                out_last,
    input  wire               out_ack,    // the byte offered was taken (see link_tx)
    // events
    output reg                ev_frame_ok,
    output reg                ev_crc_err,
    output reg                ev_duplicate
);
    `include "regmap.vh"

    localparam [4:0] S_IDLE        = 5'd0,
                     S_PRECHECK    = 5'd1,   // request arithmetic, into registers
                     S_PRECHECK2   = 5'd2,   // request-level checks, into flags
                     S_DECIDE      = 5'd3,
                     S_CHECK       = 5'd4,   // address of word i; payload word i is read
                     S_CHECK_DATA  = 5'd5,   // payload word i onto the bus
                     S_CHECK_WAIT  = 5'd6,   // the register file judges it
                     S_CHECK_JUDGE = 5'd7,   // its verdict, into flags
                     S_CHECK_EVAL  = 5'd8,   // act on the verdict
                     S_APPLY       = 5'd9,   // payload word i is read
                     S_APPLY_DO    = 5'd10,  // write word i
                     S_RESPOND     = 5'd11,  // the header, from seq, status, addr, count
                     S_HEADER      = 5'd12,
                     S_READ        = 5'd13,
                     S_READ_WAIT   = 5'd14,
                     S_DATA        = 5'd15,
                     S_VERDICT     = 5'd16;  // act on S_DECIDE's verdict

    reg [4:0]  state;
    reg [7:0]  seq, op, status;
    reg [15:0] addr, count, crc, count_m1;
    reg [LEN_W-1:0] len;
    reg        crc_ok;
    // request-level checks, registered so that S_DECIDE is only a priority choice
    reg        op_bad, op_nop, nop_ok, count_ok, len_ok, duplicate, range_ok;
    reg        is_write;
    reg        v_proceed, v_keep_buffer;  // S_DECIDE's verdict
    reg [7:0]  v_status;
    reg [LEN_W+1:0] write_len;  // length a WRITE of count words must have
    reg [16:0]      end_addr;   // one past the last word addressed
    reg [16:0] index;       // word i of the request
    reg [47:0] header;      // response header, sent MSB first
    reg [2:0]  hdr_left;
    reg [31:0] data_word;
    reg [2:0]  data_left;
    reg        wait_cnt;    // pipeline latency of the register file

    // Last WRITE answered, for retries.
    reg        last_valid;
    reg [7:0]  last_seq, last_status;
    reg [15:0] last_crc;

    localparam [31:0] MAX_WORDS32 = MAX_WORDS;
    // index is at the last word; registered, so one cycle behind index (every use is later)
    reg last_index;
    always @(posedge clk)
        last_index <= index[15:0] == count_m1;
    reg bad_addr, bad_value;  // verdict on word i

    // Decision states only choose the status; S_RESPOND builds the reply from registers.
    // A good reply echoes the request's count; an error reply carries count 0.
    task automatic answer(input [7:0] st);
        begin
            status <= st;
            state  <= S_RESPOND;
        end
    endtask

    always @(posedge clk) begin
        frame_release <= 1'b0;
        bus_we        <= 1'b0;
        ev_frame_ok   <= 1'b0;
        ev_crc_err    <= 1'b0;
        ev_duplicate  <= 1'b0;
        if (out_ack)
            out_valid <= 1'b0;
        if (rst) begin
            state      <= S_IDLE;
            out_valid  <= 1'b0;
            data_left  <= 3'd0;
            last_valid <= 1'b0;
        end else begin
            case (state)
                S_IDLE: if (frame_valid && !frame_release) begin
                    seq    <= f_seq;
                    op     <= f_op;
                    addr   <= f_addr;
                    count  <= f_count;
                    crc    <= f_crc;
                    crc_ok <= f_crc_ok;
                    len    <= f_len;
                    index  <= 17'd0;
                    state  <= S_PRECHECK;
                end
                S_PRECHECK: begin
                    is_write  <= op == BAL_OP_WRITE;
                    op_bad    <= op != BAL_OP_NOP && op != BAL_OP_READ && op != BAL_OP_WRITE;
                    op_nop    <= op == BAL_OP_NOP;
                    nop_ok    <= count == 16'd0 && len == 8;
                    count_ok  <= count != 16'd0 && count <= MAX_WORDS32[15:0];
                    write_len <= {count[LEN_W-1:0], 2'b00} + 8;
                    end_addr  <= {1'b0, addr} + {1'b0, count};
                    count_m1  <= count - 16'd1;
                    state     <= S_PRECHECK2;
                end
                S_PRECHECK2: begin
                    len_ok    <= is_write ? ({2'b00, len} == write_len) : (len == 8);
                    duplicate <= is_write && last_valid && seq == last_seq && crc == last_crc;
                    range_ok  <= end_addr <= 17'h10000;
                    state     <= S_DECIDE;
                end
                S_DECIDE: begin
                    // the verdict, registered; S_VERDICT acts on it
                    ev_crc_err    <= !crc_ok;
                    ev_frame_ok   <= crc_ok;
                    ev_duplicate  <= crc_ok && !op_bad && !op_nop && count_ok && len_ok && duplicate;
                    // only the very next request may be a retry of the last WRITE
                    if (crc_ok && !(!op_bad && !op_nop && count_ok && len_ok && duplicate))
                        last_valid <= 1'b0;
                    v_proceed     <= crc_ok && !op_bad && !op_nop && count_ok && len_ok &&
                                     !duplicate && range_ok;
                    // a write needs its payload until applied; everything else lets go now
                    v_keep_buffer <= crc_ok && !op_bad && !op_nop && count_ok && len_ok &&
                                     !duplicate && range_ok && is_write;
                    v_status      <= !crc_ok            ? BAL_ST_BAD_CRC :
                                     op_bad             ? BAL_ST_BAD_OP :
                                     op_nop             ? (nop_ok ? BAL_ST_OK : BAL_ST_BAD_LEN) :
                                     !count_ok || !len_ok ? BAL_ST_BAD_LEN :
                                     duplicate          ? last_status :
                                     !range_ok          ? BAL_ST_BAD_ADDR : BAL_ST_OK;
                    state         <= S_VERDICT;
                end
                S_VERDICT: begin
                    frame_release <= !v_keep_buffer;
                    if (v_proceed)
                        state <= S_CHECK;
                    else
                        answer(v_status);
                end
                S_CHECK: begin
                    bus_addr <= addr + index[15:0];
                    state    <= S_CHECK_DATA;
                end
                S_CHECK_DATA: begin
                    bus_wdata <= buf_rdata;
                    wait_cnt  <= 1'b0;
                    state     <= S_CHECK_WAIT;
                end
                S_CHECK_WAIT: begin
                    wait_cnt <= wait_cnt + 1'b1;
                    if (wait_cnt == 1'b1)
                        state <= S_CHECK_JUDGE;
                end
                S_CHECK_JUDGE: begin
                    bad_addr  <= is_write ? !bus_wr_ok : !bus_rd_ok;
                    bad_value <= is_write && !bus_value_ok;
                    state     <= S_CHECK_EVAL;
                end
                S_CHECK_EVAL: begin
                    if (bad_addr) begin
                        if (is_write) begin
                            frame_release <= 1'b1;
                            remember(BAL_ST_BAD_ADDR);
                        end
                        answer(BAL_ST_BAD_ADDR);
                    end else if (bad_value) begin
                        frame_release <= 1'b1;
                        remember(BAL_ST_BAD_VALUE);
                        answer(BAL_ST_BAD_VALUE);
                    end else if (last_index) begin
                        index <= 17'd0;
                        if (is_write)
                            state <= S_APPLY;
                        else
                            answer(BAL_ST_OK);
                    end else begin
                        index <= index + 17'd1;
                        state <= S_CHECK;
                    end
                end
                S_APPLY: state <= S_APPLY_DO;
                S_APPLY_DO: begin
                    bus_addr  <= addr + index[15:0];
                    bus_wdata <= buf_rdata;
                    bus_we    <= 1'b1;
                    if (last_index) begin
                        frame_release <= 1'b1;
                        remember(BAL_ST_OK);
                        answer(BAL_ST_OK);
                    end else begin
                        index <= index + 17'd1;
                        state <= S_APPLY;
                    end
                end
                S_RESPOND: begin
                    header   <= {seq, status, addr, (status == BAL_ST_OK) ? count : 16'd0};
                    hdr_left <= 3'd6;
                    state    <= S_HEADER;
                end
                S_HEADER: if (!out_valid || out_ack) begin
                    out_data  <= header[47:40];
                    header    <= {header[39:0], 8'h00};
                    out_valid <= 1'b1;
                    hdr_left  <= hdr_left - 3'd1;
                    out_last  <= (hdr_left == 3'd1) && !(op == BAL_OP_READ && status == BAL_ST_OK);
                    if (hdr_left == 3'd1)
                        state <= (op == BAL_OP_READ && status == BAL_ST_OK) ? S_READ : S_IDLE;
                end
                S_READ: begin
                    bus_addr <= addr + index[15:0];
                    wait_cnt <= 1'b0;
                    state    <= S_READ_WAIT;
                end
                S_READ_WAIT: begin
                    wait_cnt <= wait_cnt + 1'b1;
                    if (wait_cnt == 1'b1)
                        state <= S_DATA;
                end
                S_DATA: begin
                    if (data_left == 3'd0) begin
                        data_word <= bus_rdata;
                        data_left <= 3'd4;
                    end else if (!out_valid || out_ack) begin
                        out_data  <= data_word[31:24];
                        data_word <= {data_word[23:0], 8'h00};
                        out_valid <= 1'b1;
                        data_left <= data_left - 3'd1;
                        out_last  <= (data_left == 3'd1) && last_index;
                        if (data_left == 3'd1) begin
                            if (last_index) begin
                                state <= S_IDLE;
                            end else begin
                                index <= index + 17'd1;
                                state <= S_READ;
                            end
                        end
                    end
                end
                default: state <= S_IDLE;
            endcase
        end
    end

    // Only a WRITE's outcome is remembered: reads and NOPs repeat harmlessly.
    task automatic remember(input [7:0] st);
        begin
            last_valid  <= 1'b1;
            last_seq    <= seq;
            last_crc    <= crc;
            last_status <= st;
        end
    endtask

    assign buf_raddr = index[WORD_AW-1:0];
endmodule
