// Link frame receiver: SLIP decoding, CRC check, header capture and payload buffering.
// A completed frame is held (input stalled) until the executor releases it, so the payload is
// applied only after its CRC has been checked. Any malformed input is dropped at the next END;
// a frame left open longer than the inter-byte timeout (TIMEOUT_MS to TIMEOUT_MS + 1 ms of
// silence, counted in the shared millisecond ticks) is abandoned.
// Each byte goes through three registered stages (classify, decide, act) and the next byte is
// decided only when the state it reads is current: at most one byte every third cycle, where
// the UART brings one every ~160. No decision logic drives a wide enable directly.
`default_nettype none

module link_rx #(
    parameter integer MAX_WORDS  = 256,
    parameter integer TIMEOUT_MS = 2
) (
    input  wire               clk,
    input  wire               rst,
    input  wire               ms_tick,   // the shared millisecond strobe
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
    output wire [15:0]        f_crc,     // the frame's own CRC bytes: with seq, its identity
    output reg                f_crc_ok,
    output reg  [$clog2(8 + 4 * MAX_WORDS + 1)-1:0]   f_len,     // unescaped bytes, CRC included
    // payload words, big-endian on the wire
    input  wire [$clog2(MAX_WORDS)-1:0] buf_raddr,
    output reg  [31:0]        buf_rdata,
    // events (one-cycle strobes)
    output reg                ev_frame_err,
    output reg                ev_timeout
);
    `include "regmap.vh"

    localparam integer WORD_AW   = $clog2(MAX_WORDS);
    localparam integer LEN_W     = $clog2(8 + 4 * MAX_WORDS + 1);
    localparam integer HDR_BYTES = 6;
    localparam [31:0] MAX_LEN32 = HDR_BYTES + 4 * MAX_WORDS + 2;
    localparam [LEN_W-1:0] MAX_LEN = MAX_LEN32[LEN_W-1:0];
    // The shortest frame, a header and its CRC, is 8 bytes: len_short tests len < 8 by its
    // high bits, so check that HDR_BYTES still makes it so.
    localparam integer MIN_LEN = HDR_BYTES + 2;
    // Idle time counts whole ticks; the first may come at once, so TIMEOUT_MS + 1 ticks make a
    // timeout between TIMEOUT_MS and TIMEOUT_MS + 1 ms.
    localparam integer TO_W = $clog2(TIMEOUT_MS + 2);
    localparam [31:0] TO_LAST32 = TIMEOUT_MS;
    localparam [TO_W-1:0] TO_LAST = TO_LAST32[TO_W-1:0];

    // written only while a frame arrives, read only while it is held: never both at once
    (* no_rw_check *) reg [31:0] payload [0:MAX_WORDS-1];

    initial if (MIN_LEN != 8) $error("len_short assumes 8-byte minimum frames");

    reg             esc;      // previous byte was SLIP_ESC
    reg             discard;  // malformed: drop bytes until the next END
    reg [LEN_W-1:0] len;
    reg [15:0]      crc;
    reg [23:0]      word_hi;  // the last three bytes: the first three of the word being
                              // assembled; held with the frame, its last two are its CRC
    assign f_crc = word_hi[15:0];
    reg [TO_W-1:0]  idle_ticks;

    // Flags of len, registered (current by the time the next byte is decided).
    reg       len_zero, len_full, len_short;
    // Where the next byte goes, kept step by step as bytes arrive (no comparators on len).
    reg [5:0]         hdr_sel;    // one-hot header byte; zero past the header
    reg [1:0]         pay_phase;  // byte within its payload word
    reg [WORD_AW:0]   pay_word;   // payload word being assembled
    reg [WORD_AW:0]   pay_next;   // pay_word + 1, made a cycle ahead: its carry ends in a
                                  // flip-flop, not in the counter's load choice
    reg               word_done;  // the next data byte ends a payload word (current by then)
    reg               in_payload; // the next data byte is payload (current by then)
    always @(posedge clk) begin
        word_done  <= (hdr_sel == 6'd0) && (pay_phase == 2'd3);
        pay_next   <= pay_word + 1'b1;
        in_payload <= hdr_sel == 6'd0;
    end
    wire              in_frame  = !len_zero || esc || discard;

    always @(posedge clk) begin
        len_zero  <= len == {LEN_W{1'b0}};
        len_full  <= len == MAX_LEN;
        len_short <= len[LEN_W-1:3] == 0;  // len < MIN_LEN
    end

    // ---- stage A: the byte, classified as it is latched
    reg [7:0] in_byte;
    reg       in_full, is_end, is_esc, is_esc_end, is_esc_esc;
    reg [1:0] cool;  // cycles until the state the next decision reads is current
    wire      decide = in_full && !frame_valid && cool == 2'd0;
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
        end else if (decide) begin
            in_full <= 1'b0;
        end
    end

    // ---- stage B: what the byte does, into action flags
    reg       act_end, act_esc, act_bad, act_data;
    reg [7:0] act_byte;
    wire      bad_esc = esc && !is_esc_end && !is_esc_esc;
    always @(posedge clk) begin
        act_end  <= decide && is_end;
        act_esc  <= decide && !is_end && !discard && is_esc && !esc;
        act_bad  <= decide && !is_end && !discard && !(is_esc && !esc) && (bad_esc || len_full);
        act_data <= decide && !is_end && !discard && !(is_esc && !esc) && !bad_esc && !len_full;
        act_byte <= !esc ? in_byte : is_esc_end ? BAL_SLIP_END : BAL_SLIP_ESC;
    end

    // the CRC over a byte in two registered steps: the high byte's part (crc's high byte xor the
    // byte, run through the polynomial) into crc_tab as the byte is acted on, then crc = crc_tab
    // xor the low byte moved up, the cycle after (bytes are three cycles apart or more, and the
    // frame's END comes later still)
    wire [15:0] crc_part;
    crc16_byte crc_unit (
        .crc_in  ({crc[15:8], 8'h00}),
        .data    (act_byte),
        .crc_out (crc_part)
    );
    reg  [15:0] crc_tab;
    reg         crc_go;
    always @(posedge clk) begin
        crc_tab <= crc_part;
        crc_go  <= act_data;
    end

    always @(posedge clk) begin
        if (act_data && word_done)
            payload[pay_word[WORD_AW-1:0]] <= {word_hi, act_byte};
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

    // the timeout, decided a cycle before it acts (the millisecond tick comes from afar), and
    // whether the link is idle, registered too: a byte that comes as the timeout acts starts
    // the next frame
    reg timeout_due, busy_link;
    always @(posedge clk) begin
        timeout_due <= ms_tick && idle_ticks == TO_LAST && !rst;
        busy_link   <= decide || in_full || !in_frame || frame_valid;
    end

    // ---- stage C: act
    always @(posedge clk) begin
        ev_frame_err <= 1'b0;
        ev_timeout   <= 1'b0;
        if (rst) begin
            frame_valid <= 1'b0;
            idle_ticks  <= {TO_W{1'b0}};
            cool        <= 2'd2;
            restart();
        end else begin
            if (decide)
                cool <= 2'd2;
            else if (cool != 2'd0)
                cool <= cool - 2'd1;
            if (frame_release)
                frame_valid <= 1'b0;
            if (act_end) begin
                if (discard || esc || (!len_zero && len_short)) begin
                    ev_frame_err <= 1'b1;
                end else if (!len_zero) begin
                    frame_valid <= 1'b1;
                    f_len       <= len;
                    f_crc_ok    <= (crc == 16'h0000);
                end
                restart();
            end
            if (crc_go)
                crc <= crc_tab ^ {crc[7:0], 8'h00};
            if (act_esc)
                esc <= 1'b1;
            if (act_bad)
                discard <= 1'b1;
            if (act_data) begin
                esc     <= 1'b0;
                len     <= len + 1'b1;
                word_hi <= {word_hi[15:0], act_byte};
                hdr_sel <= {hdr_sel[4:0], 1'b0};
                if (in_payload)
                    pay_phase <= pay_phase + 2'd1;
                if (word_done)
                    pay_word <= pay_next;
                if (hdr_sel[0]) f_seq         <= act_byte;
                if (hdr_sel[1]) f_op          <= act_byte;
                if (hdr_sel[2]) f_addr[15:8]  <= act_byte;
                if (hdr_sel[3]) f_addr[7:0]   <= act_byte;
                if (hdr_sel[4]) f_count[15:8] <= act_byte;
                if (hdr_sel[5]) f_count[7:0]  <= act_byte;
            end
            // inter-byte timeout: only while a frame is open and nothing is on its way
            if (busy_link) begin
                idle_ticks <= {TO_W{1'b0}};
            end else if (timeout_due) begin
                ev_timeout <= 1'b1;
                idle_ticks <= {TO_W{1'b0}};
                cool       <= 2'd2;
                restart();
            end else if (ms_tick) begin
                idle_ticks <= idle_ticks + 1'b1;
            end
        end
    end
endmodule
