// I2S receiver, slave: BCLK, LRCLK and DATA come from the source, asynchronous to the system
// clock. They are synchronized (all three through the same two flip-flops, so their relative
// timing survives) and sampled at BCLK's rising edges. Philips format: LRCLK low for the left
// word, MSB first, each word starting one BCLK after its LRCLK edge, so the edge where LRCLK is
// first seen changed still carries the previous word's last bit.
// Slots of 16, 24 or 32 bits: the first 24 bits of each word are kept (16-bit words get eight
// zero bits below them), so a sample is the slot's top 24 bits. Each word's sample leaves
// with a strobe; the right one's says a frame is complete: both words had the same width.
// Works up to BCLK = system clock / 4 (192 kHz with 32-bit slots at 49.152 MHz).
`default_nettype none

module i2s_rx (
    input  wire        clk,
    input  wire        rst,
    // pins, asynchronous
    input  wire        bclk,
    input  wire        lrclk,
    input  wire        data,
    // words: a strobe as a good left word ends, and one as the right word completes a frame
    // (both words of the same width); the word's sample is valid with each, and one cycle more
    output reg         left_valid,
    output reg         frame_valid,
    output wire [23:0] sample,
    // the slot width of the last word: 0 none (not 16, 24 or 32), 1: 16, 2: 24, 3: 32 bits
    output reg  [1:0]  slot_code
);
    // ---- synchronizers, then BCLK's rising edge
    // (the edge is a registered strobe, LRCLK and DATA a stage later to match: it enables wide)
    reg [2:0] bclk_s;
    reg [2:0] lr_s, data_s;
    reg       rise;
    always @(posedge clk) begin
        bclk_s <= {bclk_s[1:0], bclk};
        lr_s   <= {lr_s[1:0], lrclk};
        data_s <= {data_s[1:0], data};
        rise   <= bclk_s[1] && !bclk_s[2];
    end
    wire lr   = lr_s[2];
    wire bit_in = data_s[2];

    // ---- words: bits shift in at each rising edge, up to 24 of them
    reg        lr_prev;    // LRCLK at the previous rising edge: the channel of this bit
    reg [5:0]  nbits;      // bits of the word so far (saturates at 63)
    reg        room;       // nbits < 24, as a flip-flop
    reg [23:0] shift;
    // the word that ended at this edge: its channel, its last bit already shifted in
    reg        word_end, word_ch;
    reg [1:0]  code;       // its width: 1: 16 bits, 2: 24, 3: 32, 0: any other
    // decided between edges (they are three cycles apart or more), from flip-flops: LRCLK as it
    // will be at the edge (lr_s[1] now), the count saturated, the count below 23, and the
    // width code of a word that would end with the next bit
    reg        new_word, full, below23;
    reg [1:0]  code_next;
    always @(posedge clk) begin
        new_word  <= lr_s[1] != lr_prev;
        full      <= nbits == 6'd63;
        below23   <= nbits < 6'd23;
        code_next <= nbits == 6'd15 ? 2'd1 : nbits == 6'd23 ? 2'd2 : nbits == 6'd31 ? 2'd3 : 2'd0;
    end
    always @(posedge clk) begin
        word_end <= 1'b0;
        if (rise) begin
            if (room)
                shift <= {shift[22:0], bit_in};
            if (new_word) begin
                word_end  <= 1'b1;
                word_ch   <= lr_prev;
                code      <= code_next;
                nbits     <= 6'd0;
                room      <= 1'b1;
            end else if (!full) begin
                nbits <= nbits + 6'd1;
                room  <= below23;
            end
            lr_prev <= lr;
        end
        if (rst) begin
            nbits   <= 6'd63;  // the first word is partial: never taken
            room    <= 1'b0;
            lr_prev <= 1'b0;
        end
    end

    // ---- the word's sample: a 16-bit word has 16 bits in the shift register, left-aligned here.
    // The shift register is not touched again before the next rising edge, three cycles or
    // more after word_end.
    assign sample = code == 2'd1 ? {shift[15:0], 8'd0} : shift;

    reg       have_left;  // the left word of this frame was good
    reg [1:0] left_code;
    always @(posedge clk) begin
        left_valid  <= 1'b0;
        frame_valid <= 1'b0;
        if (word_end) begin
            slot_code <= code;
            if (!word_ch) begin
                left_valid <= code != 2'd0;
                have_left  <= code != 2'd0;
                left_code <= code;
            end else begin
                frame_valid <= have_left && code == left_code;
                have_left   <= 1'b0;
            end
        end
        if (rst) begin
            have_left <= 1'b0;
            slot_code <= 2'd0;
        end
    end
endmodule
