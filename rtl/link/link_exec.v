// Link request executor. For each frame that link_rx holds it checks, in order: CRC,
// operation, length, duplicate, then every word of the request through the register bus
// (address and value, without effect); only a request that passes every check is applied, so a
// frame is all or nothing. Every frame is answered; the frame stays held until its reply is
// handed to link_tx, so the header fields are read from link_rx and never copied.
// A WRITE whose seq and CRC equal the last WRITE's, with no other good-CRC request between,
// is a retry: answered with the first answer and not applied again (docs/protocol.md).
`default_nettype none

module link_exec #(
    parameter integer MAX_WORDS = 256
) (
    input  wire               clk,
    input  wire               rst,
    // the frame held by link_rx
    input  wire               frame_valid,
    output reg                frame_release,
    input  wire [7:0]         f_seq,
    input  wire [7:0]         f_op,
    input  wire [15:0]        f_addr,
    input  wire [15:0]        f_count,
    input  wire [15:0]        f_crc,
    input  wire               f_crc_ok,
    input  wire [$clog2(8 + 4 * MAX_WORDS + 1)-1:0] f_len,
    output wire [$clog2(MAX_WORDS)-1:0] buf_raddr,  // payload word; its data arrives a cycle later
    input  wire [31:0]        buf_rdata,
    // register bus master (docs/buses.md)
    output reg                bus_req,
    output reg  [1:0]         bus_op,
    output reg  [15:0]        bus_addr,
    output wire [31:0]        bus_wdata,   // the payload word: stable while index is
    input  wire               bus_ack,
    input  wire [1:0]         bus_resp,
    input  wire [31:0]        bus_rdata,   // held from the answer until the next one
    // reply bytes (unescaped, without CRC) to link_tx
    output reg  [7:0]         out_data,
    output reg                out_valid,
    output reg                out_last,
    input  wire               out_ack,    // the byte offered was taken (see link_tx)
    // events, one-cycle strobes
    output reg                ev_frame_ok,
    output reg                ev_crc_err,
    output reg                ev_duplicate
);
    `include "regmap.vh"
    `include "bus.vh"

    localparam integer WORD_AW = $clog2(MAX_WORDS);
    localparam integer LEN_W   = $clog2(8 + 4 * MAX_WORDS + 1);
    localparam [31:0]  MAX_WORDS32 = MAX_WORDS;

    initial if ((1 << WORD_AW) != MAX_WORDS) $error("MAX_WORDS must be a power of two");

    localparam [3:0] S_IDLE   = 4'd0,
                     S_JUDGE1 = 4'd1,   // request arithmetic, into registers
                     S_JUDGE2 = 4'd2,   // request-level checks, into flags
                     S_DECIDE = 4'd3,   // the verdict
                     S_FETCH  = 4'd4,   // payload word i is read; is i the last?
                     S_ISSUE  = 4'd5,   // word i onto the bus (check or write)
                     S_WAIT   = 4'd6,   // the target's answer
                     S_HEADER = 4'd7,   // reply header, a byte at a time
                     S_READ   = 4'd8,   // read word i
                     S_RWAIT  = 4'd9,
                     S_DATA   = 4'd10,  // its four bytes
                     S_DONE   = 4'd11,  // let the frame go
                     S_EVAL   = 4'd12,  // act on the registered answer
                     S_VERDICT = 4'd13; // act on the registered verdict

    reg [3:0]  state;
    reg [2:0]  status;
    reg        applying;   // second pass: the checks passed, now the writes
    reg        is_write, is_read, op_bad, op_nop, nop_ok, count_ok, len_ok, range_ok, duplicate;
    reg [LEN_W+1:0]   write_len;   // length a WRITE of f_count words must have
    reg [16:0]        end_addr;    // one past the last word addressed
    reg [WORD_AW-1:0] index, last;  // word i of the request, and the last word's index
    reg        at_last;
    reg [2:0]  byte_idx;
    reg [2:0]  v_status;     // the request-level verdict
    reg        v_proceed;
    reg [2:0]  ans_status;   // the target's answer, registered before anything acts on it
    localparam [1:0] A_FAIL = 2'd0, A_NEXT = 2'd1, A_APPLY = 2'd2, A_DONE = 2'd3;
    reg [1:0]  action;

    // last WRITE judged, for retries
    reg        last_valid;
    reg        same_seq, same_crc;  // the request's seq and CRC are the last write's
    reg [7:0]  last_seq;
    reg [15:0] last_crc;
    reg [2:0]  last_status;

    wire [15:0] reply_count = (status == BAL_ST_OK[2:0]) ? f_count : 16'd0;
    wire [7:0]  header_byte = byte_idx == 3'd0 ? f_seq :
                              byte_idx == 3'd1 ? {5'd0, status} :
                              byte_idx == 3'd2 ? f_addr[15:8] :
                              byte_idx == 3'd3 ? f_addr[7:0] :
                              byte_idx == 3'd4 ? reply_count[15:8] : reply_count[7:0];
    wire [7:0]  data_byte   = byte_idx == 3'd0 ? bus_rdata[31:24] :
                              byte_idx == 3'd1 ? bus_rdata[23:16] :
                              byte_idx == 3'd2 ? bus_rdata[15:8] : bus_rdata[7:0];
    // a byte a cycle after the last was acknowledged: slower than allowed, but the UART
    // needs ~160 cycles a byte, and no decision here waits on link_tx's acknowledge
    wire        out_free    = !out_valid;
    wire        bus_ok      = bus_resp == BUS_OK;
    wire [2:0]  bus_status  = bus_resp == BUS_BAD_ADDR ? BAL_ST_BAD_ADDR[2:0] :
                              bus_resp == BUS_BAD_VALUE ? BAL_ST_BAD_VALUE[2:0] : BAL_ST_BUSY[2:0];
    wire        read_ok     = is_read && status == BAL_ST_OK[2:0];

    // the reply's next byte, chosen into a register a cycle before it is offered: byte_ready
    // says the register is this byte_idx's (not in the cycle a state or index has just moved)
    reg  [7:0]  next_byte;
    reg         byte_ready;
    wire        offer = out_free && byte_ready;
    always @(posedge clk) begin
        next_byte  <= state == S_DATA ? data_byte : header_byte;
        byte_ready <= (state == S_HEADER || state == S_DATA) && !offer;
    end

    assign buf_raddr = index;
    assign bus_wdata = buf_rdata;

    task automatic answer(input [2:0] st);
        begin
            status   <= st;
            byte_idx <= 3'd0;
            index    <= {WORD_AW{1'b0}};  // a READ's words follow the header from word 0
            state    <= S_HEADER;
        end
    endtask

    // Only a WRITE's deterministic outcome is remembered; BUSY is not (a retry must run).
    // The decision sets a flag; the copy is made a cycle later from that one flip-flop (the
    // frame is still held), so no decision logic drives the copy's wide enable.
    reg       remember_now;
    reg [2:0] remember_status;
    task automatic remember(input [2:0] st);
        begin
            remember_now    <= 1'b1;
            remember_status <= st;
        end
    endtask
    always @(posedge clk)
        if (remember_now) begin
            last_seq    <= f_seq;
            last_crc    <= f_crc;
            last_status <= remember_status;
        end

    // request arithmetic and checks, two registered stages ahead of the verdict
    always @(posedge clk) begin
        if (state == S_JUDGE1) begin
            same_seq  <= f_seq == last_seq;  // the retry check's compares, a stage ahead
            same_crc  <= f_crc == last_crc;
            is_write  <= f_op == BAL_OP_WRITE;
            is_read   <= f_op == BAL_OP_READ;
            op_bad    <= f_op != BAL_OP_NOP && f_op != BAL_OP_READ && f_op != BAL_OP_WRITE;
            op_nop    <= f_op == BAL_OP_NOP;
            nop_ok    <= f_count == 16'd0 && f_len == 8;
            // 1..MAX_WORDS by zero and equality tests: no comparator carry chain
            count_ok  <= f_count != 16'd0 && (f_count[15:WORD_AW] == {(16 - WORD_AW){1'b0}} ||
                                              f_count == MAX_WORDS32[15:0]);
            write_len <= {f_count[LEN_W-1:0], 2'b00} + 8;
            end_addr  <= {1'b0, f_addr} + {1'b0, f_count};
            last      <= f_count[WORD_AW-1:0] - 1'b1;
        end
        if (state == S_JUDGE2) begin
            len_ok    <= is_write ? ({2'b00, f_len} == write_len) : (f_len == 8);
            range_ok  <= !end_addr[16] || end_addr[15:0] == 16'd0;  // end_addr <= 0x10000
            duplicate <= is_write && last_valid && same_seq && same_crc;
        end
        if (state == S_FETCH || state == S_READ)
            at_last <= index == last;
    end

    wire well_formed = !op_bad && !op_nop && count_ok && len_ok;

    // what to do after the target's answer, decided every cycle (the answer is held until the
    // next request) and acted on in S_EVAL, the cycle after it came: no enable waits on it
    always @(posedge clk) begin
        ans_status <= bus_status;
        action     <= !applying && !bus_ok     ? A_FAIL :
                      !at_last                 ? A_NEXT :
                      is_write && !applying    ? A_APPLY : A_DONE;
    end

    always @(posedge clk) begin
        frame_release <= 1'b0;
        bus_req       <= 1'b0;
        remember_now  <= 1'b0;
        if (remember_now)
            last_valid <= remember_status != BAL_ST_BUSY[2:0];
        ev_frame_ok   <= 1'b0;
        ev_crc_err    <= 1'b0;
        ev_duplicate  <= 1'b0;
        if (out_ack)
            out_valid <= 1'b0;
        if (rst) begin
            state        <= S_IDLE;
            out_valid    <= 1'b0;
            last_valid   <= 1'b0;
            remember_now <= 1'b0;
        end else begin
            case (state)
                S_IDLE: if (frame_valid && !frame_release)
                    state <= S_JUDGE1;
                S_JUDGE1: begin
                    index    <= {WORD_AW{1'b0}};
                    applying <= 1'b0;
                    state    <= S_JUDGE2;
                end
                S_JUDGE2: state <= S_DECIDE;
                S_DECIDE: begin
                    ev_crc_err   <= !f_crc_ok;
                    ev_frame_ok  <= f_crc_ok;
                    ev_duplicate <= f_crc_ok && well_formed && duplicate;
                    // only the very next request may be a retry of the last WRITE
                    if (f_crc_ok && !(well_formed && duplicate))
                        last_valid <= 1'b0;
                    // the verdict, into registers; S_VERDICT acts on it
                    v_status  <= !f_crc_ok               ? BAL_ST_BAD_CRC[2:0] :
                                 op_bad                  ? BAL_ST_BAD_OP[2:0] :
                                 op_nop                  ? (nop_ok ? BAL_ST_OK[2:0] : BAL_ST_BAD_LEN[2:0]) :
                                 !count_ok || !len_ok    ? BAL_ST_BAD_LEN[2:0] :
                                 duplicate               ? last_status :
                                 !range_ok               ? BAL_ST_BAD_ADDR[2:0] : BAL_ST_OK[2:0];
                    v_proceed <= f_crc_ok && well_formed && !duplicate && range_ok;
                    state     <= S_VERDICT;
                end
                S_VERDICT: if (v_proceed)
                    state <= S_FETCH;
                else
                    answer(v_status);
                S_FETCH: state <= S_ISSUE;
                S_ISSUE: begin
                    bus_req   <= 1'b1;
                    bus_op    <= applying ? BUS_WRITE : is_write ? BUS_CHECK_WR : BUS_CHECK_RD;
                    bus_addr  <= f_addr + {{(16 - WORD_AW){1'b0}}, index};
                    state     <= S_WAIT;
                end
                S_WAIT: if (bus_ack)
                    state <= S_EVAL;
                S_EVAL: case (action)
                    A_FAIL: begin
                        if (is_write)
                            remember(ans_status);
                        answer(ans_status);
                    end
                    A_NEXT: begin
                        index <= index + 1'b1;
                        state <= S_FETCH;
                    end
                    A_APPLY: begin
                        index    <= {WORD_AW{1'b0}};
                        applying <= 1'b1;
                        state    <= S_FETCH;
                    end
                    default: begin
                        if (is_write)
                            remember(BAL_ST_OK[2:0]);
                        answer(BAL_ST_OK[2:0]);
                    end
                endcase
                S_HEADER: if (offer) begin
                    out_data  <= next_byte;
                    out_valid <= 1'b1;
                    out_last  <= byte_idx == 3'd5 && !read_ok;
                    byte_idx  <= byte_idx + 3'd1;
                    if (byte_idx == 3'd5)
                        state <= read_ok ? S_READ : S_DONE;
                end
                S_READ: begin
                    bus_req  <= 1'b1;
                    bus_op   <= BUS_READ;
                    bus_addr <= f_addr + {{(16 - WORD_AW){1'b0}}, index};
                    state    <= S_RWAIT;
                end
                S_RWAIT: if (bus_ack) begin
                    // the next word's index now (at_last is this word's, from S_READ): no
                    // enable of index waits on link_tx's acknowledge
                    index    <= index + 1'b1;
                    byte_idx <= 3'd0;
                    state    <= S_DATA;
                end
                S_DATA: if (offer) begin
                    out_data  <= next_byte;
                    out_valid <= 1'b1;
                    out_last  <= byte_idx == 3'd3 && at_last;
                    byte_idx  <= byte_idx + 3'd1;
                    if (byte_idx == 3'd3)
                        state <= at_last ? S_DONE : S_READ;
                end
                S_DONE: begin
                    frame_release <= 1'b1;
                    state         <= S_IDLE;
                end
                default: state <= S_IDLE;
            endcase
        end
    end
endmodule
