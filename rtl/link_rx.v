// Link frame receiver: SLIP decoding, CRC check, header capture and payload buffering.
// A completed frame is held (input stalled) until the executor releases it, so the payload is
// applied only after its CRC has been checked. Any malformed input is dropped at the next END;
// a frame left open longer than the inter-byte timeout is abandoned.
`default_nettype none

module link_rx #(
    parameter integer MAX_WORDS      = 256,
    parameter integer TIMEOUT_CYCLES = 98304,
    parameter integer LEN_W          = 11,  // holds 8 + 4 * MAX_WORDS
    parameter integer WORD_AW        = 8    // log2(MAX_WORDS)
) (
    input  wire               clk,
    input  wire               rst,
    // unescaped bytes in
    input  wire [7:0]         in_data,
    input  wire               in_valid,
    output wire               in_ready,
    // the frame held for the executor
    output reg                frame_valid,
    input  wire               frame_release,
    output reg  [7:0]         f_seq,
    output reg  [7:0]         f_op,
    output reg  [15:0]        f_addr,
    output reg  [15:0]        f_count,
    output reg  [15:0]        f_crc,     // the frame's own CRC bytes: with seq, its identity
    output reg                f_crc_ok,
    output reg  [LEN_W-1:0]   f_len,     // unescaped bytes, CRC included
    // payload words, big-endian on the wire
    input  wire [WORD_AW-1:0] buf_raddr,
    output reg  [31:0]        buf_rdata,
    // events (one-cycle strobes)
    output reg                ev_frame_err,
    output reg                ev_timeout
);
    `include "regmap.vh"

    localparam integer HDR_BYTES = 6;
    localparam [31:0] MAX_LEN32 = HDR_BYTES + 4 * MAX_WORDS + 2;
    localparam [LEN_W-1:0] MAX_LEN = MAX_LEN32[LEN_W-1:0];
    localparam [LEN_W-1:0] HDR_LEN = HDR_BYTES[LEN_W-1:0];
    localparam [LEN_W-1:0] MIN_LEN = HDR_LEN + 2;
    localparam integer TO_W = $clog2(TIMEOUT_CYCLES + 1);
    localparam [31:0] TO_LAST32 = TIMEOUT_CYCLES - 1;
    localparam [TO_W-1:0] TO_LAST = TO_LAST32[TO_W-1:0];

    reg [31:0] payload [0:MAX_WORDS-1];

    reg             esc;      // previous byte was SLIP_ESC
    reg             discard;  // malformed: drop bytes until the next END
    reg [LEN_W-1:0] len;
    reg [15:0]      crc;
    reg [23:0]      word_hi;  // first three bytes of the word being assembled
    reg [TO_W-1:0]  idle_cycles;

    wire take     = in_valid && in_ready;
    wire in_frame = (len != {LEN_W{1'b0}}) || esc || discard;

    assign in_ready = !frame_valid;

    // The byte this input stands for once unescaped, and whether the escape was legal.
    wire       is_end   = (in_data == BAL_SLIP_END);
    wire       is_esc   = (in_data == BAL_SLIP_ESC);
    wire [7:0] byte_val = !esc ? in_data :
                          (in_data == BAL_SLIP_ESC_END) ? BAL_SLIP_END : BAL_SLIP_ESC;
    wire       bad_esc  = esc && (in_data != BAL_SLIP_ESC_END) && (in_data != BAL_SLIP_ESC_ESC);

    wire [15:0] crc_next;
    crc16_byte crc_unit (
        .crc_in  (crc),
        .data    (byte_val),
        .crc_out (crc_next)
    );

    wire [WORD_AW+1:0] pay_pos = len[WORD_AW+1:0] - HDR_LEN[WORD_AW+1:0];  // payload byte index
    wire             word_done = (len >= HDR_LEN) && (pay_pos[1:0] == 2'd3);

    always @(posedge clk) begin
        if (take && !is_end && !is_esc && !bad_esc && !discard && len != MAX_LEN && word_done)
            payload[pay_pos[WORD_AW+1:2]] <= {word_hi, byte_val};
        buf_rdata <= payload[buf_raddr];
    end

    task automatic restart;
        begin
            esc     <= 1'b0;
            discard <= 1'b0;
            len     <= {LEN_W{1'b0}};
            crc     <= 16'hFFFF;
        end
    endtask

    always @(posedge clk) begin
        ev_frame_err <= 1'b0;
        ev_timeout   <= 1'b0;
        if (rst) begin
            frame_valid <= 1'b0;
            idle_cycles <= {TO_W{1'b0}};
            restart();
        end else begin
            if (frame_release)
                frame_valid <= 1'b0;
            if (take) begin
                idle_cycles <= {TO_W{1'b0}};
                if (is_end) begin
                    if (discard || esc || (len != 0 && len < MIN_LEN)) begin
                        ev_frame_err <= 1'b1;
                    end else if (len != 0) begin
                        frame_valid <= 1'b1;
                        f_len       <= len;
                        f_crc_ok    <= (crc == 16'h0000);
                    end
                    restart();
                end else if (!discard) begin
                    if (is_esc && !esc) begin
                        esc <= 1'b1;
                    end else if (bad_esc || is_esc || len == MAX_LEN) begin
                        discard <= 1'b1;
                    end else begin
                        esc     <= 1'b0;
                        crc     <= crc_next;
                        len     <= len + 1'b1;
                        f_crc   <= {f_crc[7:0], byte_val};
                        word_hi <= {word_hi[15:0], byte_val};
                        case (len)
                            0: f_seq           <= byte_val;
                            1: f_op            <= byte_val;
                            2: f_addr[15:8]    <= byte_val;
                            3: f_addr[7:0]     <= byte_val;
                            4: f_count[15:8]   <= byte_val;
                            5: f_count[7:0]    <= byte_val;
                            default: ;
                        endcase
                    end
                end
            end else if (in_frame && !frame_valid) begin
                if (idle_cycles == TO_LAST) begin
                    ev_timeout  <= 1'b1;
                    idle_cycles <= {TO_W{1'b0}};
                    restart();
                end else begin
                    idle_cycles <= idle_cycles + 1'b1;
                end
            end
        end
    end
endmodule
