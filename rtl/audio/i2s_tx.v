// I2S transmitter, master, to two stereo DACs sharing BCLK and LRCLK: DAC A gets L+ (left
// slot) and L- (right slot), DAC B gets R+ and R-. Philips format, MSB first, 24 or 32-bit
// slots (a 24-bit sample left-aligned, zeros below it).
//
// The frame rate is 44.1 or 48 kHz times 2^mult (mult 0..3: up to 352.8 / 384 kHz, where
// 32-bit slots make BCLK half the system clock). Bit timing: a phase accumulator adds
// fs * 4 * SLOT / SYS_CLK_HZ (scaled by 2^24; 2^24 itself at half the system clock) every
// cycle; each carry out is half a BCLK period. With the system clock at 2 x MCLK the ratio is
// exact; otherwise it is within 2^-24, and BCLK jitters by a cycle where it is not whole.
//
// Each slot's two words are taken as it begins: L+ and R+ for the left slot (take_left, a new
// frame), L- and R- for the right (take_right); a 24-bit register per line shifts them out MSB
// first, resting for the eight zero bits after the sample in 32-bit slots.
`default_nettype none

module i2s_tx #(
    parameter integer SYS_CLK_HZ = 49152000
) (
    input  wire        clk,
    // format and timing
    input  wire        fam48,     // 48 kHz family (else 44.1)
    input  wire [1:0]  mult,      // frame rate = family x 2^mult
    input  wire        slot24,    // 24-bit slots (else 32)
    input  wire        restart,   // a reset, or a strobe: start a frame half a frame from now,
                                  // silent until then (one flip-flop: it fans out to every
                                  // register here, from afar)
    // the words of the slot to come: (L+, R+) before a left slot, (L-, R-) before a right one
    input  wire [23:0] word_a,
    input  wire [23:0] word_b,
    output reg         take_left,
    output reg         take_right,
    // pins
    output reg         bclk,
    output reg         lrclk,
    output reg         dout_a,
    output reg         dout_b
);
    // ---- half-bit ticks from the phase accumulator
    localparam [31:0] SYS32 = SYS_CLK_HZ;
    localparam [63:0] SYS64 = {32'd0, SYS32};
    /* verilator lint_off UNUSEDSIGNAL */
    // the phase has 24 bits: exact where the clock is exact (the step a power of two's fraction),
    // within 0.35 ppm of the rate in the 12 MHz crystal's build (the crystal: 50 ppm at best)
    function automatic [24:0] step_of(input f48, input [1:0] m, input s24);
        reg [63:0] fs, q64;
        begin
            fs  = (f48 ? 64'd48000 : 64'd44100) << m;
            // fs * half-bits per frame * 2^24 / SYS_CLK_HZ, rounded
            q64 = ((fs * (s24 ? 64'd96 : 64'd128) << 24) + SYS64 / 2) / SYS64;
            step_of = q64[24:0];
        end
    endfunction
    /* verilator lint_on UNUSEDSIGNAL */
    // every (family, multiple, slot) spelled out: synthesis sees a table of constants
    reg [24:0] step;
    always @(posedge clk)
        case ({fam48, mult, slot24})
            4'b0_00_0: step <= step_of(1'b0, 2'd0, 1'b0);
            4'b0_00_1: step <= step_of(1'b0, 2'd0, 1'b1);
            4'b0_01_0: step <= step_of(1'b0, 2'd1, 1'b0);
            4'b0_01_1: step <= step_of(1'b0, 2'd1, 1'b1);
            4'b0_10_0: step <= step_of(1'b0, 2'd2, 1'b0);
            4'b0_10_1: step <= step_of(1'b0, 2'd2, 1'b1);
            4'b0_11_0: step <= step_of(1'b0, 2'd3, 1'b0);
            4'b0_11_1: step <= step_of(1'b0, 2'd3, 1'b1);
            4'b1_00_0: step <= step_of(1'b1, 2'd0, 1'b0);
            4'b1_00_1: step <= step_of(1'b1, 2'd0, 1'b1);
            4'b1_01_0: step <= step_of(1'b1, 2'd1, 1'b0);
            4'b1_01_1: step <= step_of(1'b1, 2'd1, 1'b1);
            4'b1_10_0: step <= step_of(1'b1, 2'd2, 1'b0);
            4'b1_10_1: step <= step_of(1'b1, 2'd2, 1'b1);
            4'b1_11_0: step <= step_of(1'b1, 2'd3, 1'b0);
            default:   step <= step_of(1'b1, 2'd3, 1'b1);
        endcase

    // two 12-bit halves, the carry between them registered: the high half runs a cycle behind
    // the low one, and the tick (its carry) with it; step's bit 24 (half the system clock)
    // carries every cycle
    reg [11:0] phase_lo, phase_hi;
    reg        carry_lo;
    reg        half_tick;
    always @(posedge clk)
        if (restart) begin
            {carry_lo, phase_lo} <= 13'd0;
            {half_tick, phase_hi} <= 13'd0;
        end else begin
            {carry_lo, phase_lo}  <= {1'b0, phase_lo} + {1'b0, step[11:0]};
            {half_tick, phase_hi} <= {1'b0, phase_hi} + step[24:12] + {12'd0, carry_lo};
        end

    // ---- position in the frame: the bit q of the left or right slot, and BCLK's half. The
    // decisions for the next edge are registered from q: half ticks are two cycles apart or more.
    reg  [5:0] q;           // bit of the slot, 0 = MSB
    reg        right;       // in the right slot
    reg  [5:0] last_bit, last_less1;  // SLOT - 1, SLOT - 2
    always @(posedge clk) begin
        last_bit   <= slot24 ? 6'd23 : 6'd31;
        last_less1 <= slot24 ? 6'd22 : 6'd30;
    end
    reg slot_end, right_nxt, pad_nxt, lr_nxt, last_nxt, slot_last;
    always @(posedge clk) begin
        // the next bit period is its slot's last
        last_nxt  <= q == last_less1;
        slot_end  <= q == last_bit;                          // the slot's last bit period
        right_nxt <= right ^ (q == last_bit);                // at the next falling edge
        pad_nxt   <= q >= 6'd23 && q != last_bit;            // the next bit is past the sample
        // LRCLK turns one bit before each word's MSB, with the previous word's last bit
        lr_nxt    <= right ^ (q == last_bit) ^ (q == last_less1);
    end

    reg [23:0] sh_a, sh_b;  // the slot's word for DAC A and DAC B
    // the line states; the pins get them a cycle later from registers of their own, placed by
    // the pads (the decisions here read the inner copies)
    reg        bclk_i, lrclk_i, dout_a_i, dout_b_i;
    always @(posedge clk) begin
        bclk   <= bclk_i;
        lrclk  <= lrclk_i;
        dout_a <= dout_a_i;
        dout_b <= dout_b_i;
    end
    // which edge each half tick is: BCLK's half follows the ticks at once (hb), and the edges
    // act a cycle later from registered strobes (fall, rise), so the tick fans out to one
    // flip-flop; BCLK and everything else move a cycle later alike
    reg hb, fall, rise;
    always @(posedge clk) begin
        if (restart)
            hb <= 1'b1;
        else if (half_tick)
            hb <= !hb;
        fall <= half_tick && hb && !restart;
        rise <= half_tick && !hb && !restart;
    end

    // the shift registers: loaded at a rising edge in a slot's last bit (slot_last is high from
    // the falling edge before to that rising edge, so rise alone says when), shifted the cycle
    // after a falling edge (the next falling edge, which reads the top bit, is later)
    reg shift_q;
    always @(posedge clk) begin
        shift_q <= fall && !pad_nxt;
        if (restart) begin
            sh_a <= 24'd0;
            sh_b <= 24'd0;
        end else if (rise && slot_last) begin
            sh_a <= word_a;
            sh_b <= word_b;
        end else if (shift_q) begin
            sh_a <= {sh_a[22:0], 1'b0};
            sh_b <= {sh_b[22:0], 1'b0};
        end
    end

    always @(posedge clk) begin
        take_left  <= 1'b0;
        take_right <= 1'b0;
        if (restart) begin
            // half a frame ahead: the high half of the left slot's last bit, silent
            q         <= last_bit;
            right     <= 1'b0;
            bclk_i    <= 1'b1;
            slot_last <= 1'b0;
        end else if (fall) begin
            // falling edge: the next bit period
            bclk_i    <= 1'b0;
            q         <= slot_end ? 6'd0 : q + 6'd1;
            right     <= right_nxt;
            lrclk_i   <= lr_nxt;
            dout_a_i  <= !pad_nxt && sh_a[23];
            dout_b_i  <= !pad_nxt && sh_b[23];
            slot_last <= last_nxt;
        end else if (rise) begin
            // rising edge; in a slot's last bit, the next slot's words (decided at the falling
            // edge before: half ticks may come every cycle)
            bclk_i    <= 1'b1;
            slot_last <= 1'b0;
            take_left  <= slot_last && right;
            take_right <= slot_last && !right;
        end
    end
endmodule
