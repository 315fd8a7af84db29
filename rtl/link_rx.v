// Link frame receiver: SLIP decoding, CRC check, header capture and payload buffering.
// A completed frame is held (input stalled) until the executor releases it, so the payload is
// applied only after its CRC has been checked. Any malformed input is dropped at the next END;
// a frame left open longer than the inter-byte timeout is abandoned.
// It takes at most one byte every other cycle (the UART brings one every ~160): the facts about
// len that the next byte needs are then registered flags, which keeps the byte path short.
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
    // The shortest frame, a header and its CRC, is 8 bytes: len_short tests len < 8 by its
    // high bits, so check that HDR_BYTES still makes it so.
    localparam integer MIN_LEN = HDR_BYTES + 2;
    localparam integer TO_W = $clog2(TIMEOUT_CYCLES + 1);
    localparam [31:0] TO_LAST32 = TIMEOUT_CYCLES - 1;
    localparam [TO_W-1:0] TO_LAST = TO_LAST32[TO_W-1:0];

    reg [31:0] payload [0:MAX_WORDS-1];

    initial if (MIN_LEN != 8) $error("len_short assumes 8-byte minimum frames");

    reg             esc;      // previous byte was SLIP_ESC
    reg             discard;  // malformed: drop bytes until the next END
    reg [LEN_W-1:0] len;
    reg [15:0]      crc;
    reg [23:0]      word_hi;  // first three bytes of the word being assembled
    reg [TO_W-1:0]  idle_cycles;
    reg             hold;     // len changed last cycle: its flags are not current yet

    // Flags of len, registered; current whenever hold is low.
    reg       len_zero, len_full, len_short;
    // Where the next byte goes, kept step by step as bytes arrive (no comparators on len).
    reg [5:0]         hdr_sel;    // one-hot header byte; zero past the header
    reg [1:0]         pay_phase;  // byte within its payload word
    reg [WORD_AW:0]   pay_word;   // payload word being assembled
    wire              word_done = (hdr_sel == 6'd0) && (pay_phase == 2'd3);

    // Input stage: the byte, classified as it is latched.
    reg [7:0] in_byte;
    reg       in_full, is_end, is_esc, is_esc_end, is_esc_esc;
    assign in_ready = !in_full;
    always @(posedge clk) begin
        if (rst) begin
            in_full <= 1'b0;
        end else if (in_valid && !in_full) begin
            in_full    <= 1'b1;
            in_byte    <= in_data;
            is_end     <= in_data == BAL_SLIP_END;
            is_esc     <= in_data == BAL_SLIP_ESC;
            is_esc_end <= in_data == BAL_SLIP_ESC_END;
            is_esc_esc <= in_data == BAL_SLIP_ESC_ESC;
        end else if (take) begin
            in_full <= 1'b0;
        end
    end

    wire take     = in_full && !frame_valid && !hold;
    wire in_frame = !len_zero || esc || discard;

    // The byte this input stands for once unescaped, and whether the escape was legal.
    wire [7:0] byte_val = !esc ? in_byte : is_esc_end ? BAL_SLIP_END : BAL_SLIP_ESC;
    wire       bad_esc  = esc && !is_esc_end && !is_esc_esc;

    wire [15:0] crc_next;
    crc16_byte crc_unit (
        .crc_in  (crc),
        .data    (byte_val),
        .crc_out (crc_next)
    );

    always @(posedge clk) begin
        len_zero  <= len == {LEN_W{1'b0}};
        len_full  <= len == MAX_LEN;
        len_short <= len[LEN_W-1:3] == 0;  // len < MIN_LEN

    end

    always @(posedge clk) begin
        if (take && !is_end && !is_esc && !bad_esc && !discard && !len_full && word_done)
            payload[pay_word[WORD_AW-1:0]] <= {word_hi, byte_val};
        buf_rdata <= payload[buf_raddr];
    end

    task automatic restart;
        begin
            esc       <= 1'b0;
            discard   <= 1'b0;
            len       <= {LEN_W{1'b0}};
            crc       <= 16'hFFFF;
            hdr_sel   <= 6'd1;
            pay_phase <= 2'd0;
            pay_word  <= {(WORD_AW + 1){1'b0}};
        end
    endtask

    always @(posedge clk) begin
        ev_frame_err <= 1'b0;
        ev_timeout   <= 1'b0;
        hold         <= take;
        if (rst) begin
            frame_valid <= 1'b0;
            idle_cycles <= {TO_W{1'b0}};
            hold        <= 1'b1;
            restart();
        end else begin
            if (frame_release)
                frame_valid <= 1'b0;
            if (take) begin
                idle_cycles <= {TO_W{1'b0}};
                if (is_end) begin
                    if (discard || esc || (!len_zero && len_short)) begin
                        ev_frame_err <= 1'b1;
                    end else if (!len_zero) begin
                        frame_valid <= 1'b1;
                        f_len       <= len;
                        f_crc_ok    <= (crc == 16'h0000);
                    end
                    restart();
                end else if (!discard) begin
                    if (is_esc && !esc) begin
                        esc <= 1'b1;
                    end else if (bad_esc || is_esc || len_full) begin
                        discard <= 1'b1;
                    end else begin
                        esc     <= 1'b0;
                        crc     <= crc_next;
                        len     <= len + 1'b1;
                        f_crc   <= {f_crc[7:0], byte_val};
                        word_hi <= {word_hi[15:0], byte_val};
                        hdr_sel <= {hdr_sel[4:0], 1'b0};
                        if (hdr_sel == 6'd0) begin
                            pay_phase <= pay_phase + 2'd1;
                            if (pay_phase == 2'd3)
                                pay_word <= pay_word + 1'b1;
                        end
                        if (hdr_sel[0]) f_seq         <= byte_val;
                        if (hdr_sel[1]) f_op          <= byte_val;
                        if (hdr_sel[2]) f_addr[15:8]  <= byte_val;
                        if (hdr_sel[3]) f_addr[7:0]   <= byte_val;
                        if (hdr_sel[4]) f_count[15:8] <= byte_val;
                        if (hdr_sel[5]) f_count[7:0]  <= byte_val;
                    end
                end
            end else if (in_frame && !frame_valid) begin
                if (idle_cycles == TO_LAST) begin
                    ev_timeout  <= 1'b1;
                    idle_cycles <= {TO_W{1'b0}};
                    hold        <= 1'b1;
                    restart();
                end else begin
                    idle_cycles <= idle_cycles + 1'b1;
                end
            end
        end
    end
endmodule
