// I2S transmitter, master, to two stereo DACs sharing BCLK and LRCLK: DAC A gets L+ (left
// slot) and L- (right slot), DAC B gets R+ and R-. Philips format, MSB first, 24 or 32-bit
// slots: a word of N bits (16, 24, 32) goes out left-aligned with zeros below it, and a 24-bit
// slot carries its top 24 bits.
//
// The frame rate is 44.1 or 48 kHz times 2^mult (mult 0..3: up to 352.8 / 384 kHz, where
// 32-bit slots make BCLK half the system clock). Bit timing: a phase accumulator adds
// fs * 4 * SLOT / SYS_CLK_HZ (scaled by 2^24; 2^24 itself at half the system clock) every
// cycle; each carry out is half a BCLK period. With the system clock at 2 x MCLK the ratio is
// exact; otherwise it is within 2^-24, and BCLK jitters by a cycle where it is not whole.
//
// The words' bits come from lane_out as it makes them (LSB first) into a small block RAM, bit k
// of the slot (0 the MSB) of the plus words at {0, k}, of the minus words at {1, k}, both lines'
// bits in one 2-bit word; each bit is read for the falling edge that sends it. A slot's flags
// (saturated: send +-max; zero: send zeros) are taken as it begins: L+ and R+'s for the left
// slot (take_left, a new frame), L- and R-'s for the right (take_right). lane_out writes the
// plus words while the right slot is sent and the minus words while the left one is.
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
    input  wire        bits_we,     // the words' bits (lane_out)
    input  wire [5:0]  bits_addr,
    input  wire [1:0]  bits_data,   // {B, A}
    input  wire [1:0]  sat_a,       // {+max, -max}: send that instead of A's word
    input  wire [1:0]  sat_b,
    input  wire        zero_a,      // send zeros instead of A's word
    input  wire        zero_b,
    input  wire [1:0]  word_code,   // the words' length, OUT_FORMAT.WORD: where -max's LSB is
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
    reg slot_end, right_nxt, lr_nxt, last_nxt, slot_last;
    // a saturated word's bits: within the word (bit < N), its LSB (N - 1); N of the slot's word
    reg [1:0] code_q, sat_qa, sat_qb;
    reg       zero_qa, zero_qb;
    reg [5:0] n_less1, n_less2;
    reg       in_nxt, lsb_nxt;
    always @(posedge clk) begin
        n_less1 <= code_q == 2'd2 ? 6'd31 : code_q == 2'd1 ? 6'd23 : 6'd15;
        n_less2 <= code_q == 2'd2 ? 6'd30 : code_q == 2'd1 ? 6'd22 : 6'd14;
        in_nxt  <= q == last_bit || q < n_less1;
        lsb_nxt <= q == n_less2;
    end
    always @(posedge clk) begin
        // the next bit period is its slot's last
        last_nxt  <= q == last_less1;
        slot_end  <= q == last_bit;                          // the slot's last bit period
        right_nxt <= right ^ (q == last_bit);                // at the next falling edge
        // LRCLK turns one bit before each word's MSB, with the previous word's last bit
        lr_nxt    <= right ^ (q == last_bit) ^ (q == last_less1);
    end

    // the words' bits: read at the bit the next falling edge sends (the slot's next bit, or
    // the next slot's first), from q as it stands a cycle before that edge at the latest. The
    // lanes write one slot's words while the other slot is sent, and are done before its last
    // bit: the word read is never the one being written (no read-during-write logic; checked
    // in simulation)
    (* no_rw_check *) reg  [1:0] bits [0:63];
    reg  [1:0] bit_q;  // {B, A}
    wire       wrap = q == last_bit;
    wire [5:0] next_addr = {right ^ wrap, wrap ? 5'd0 : q[4:0] + 5'd1};
    always @(posedge clk) begin
        if (bits_we)
            bits[bits_addr] <= bits_data;
        bit_q <= bits[next_addr];
    end
`ifndef SYNTHESIS
    // from the first restart on (before it, the state is random)
    reg checking = 1'b0;
    always @(posedge clk) begin
        checking <= checking || restart;
        if (checking && !restart && bits_we && bits_addr == next_addr)
            $error("i2s_tx: the lanes write the bit being read");
    end
`endif
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

    // the slot's flags: taken at a rising edge in a slot's last bit (slot_last is high from the
    // falling edge before to that rising edge, so rise alone says when)
    always @(posedge clk)
        if (restart) begin
            sat_qa  <= 2'b00;
            sat_qb  <= 2'b00;
            zero_qa <= 1'b1;
            zero_qb <= 1'b1;
        end else if (rise && slot_last) begin
            sat_qa  <= sat_a;
            sat_qb  <= sat_b;
            zero_qa <= zero_a;
            zero_qb <= zero_b;
            code_q  <= word_code;
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
            dout_a_i  <= sat_qa[1] ? !slot_end && in_nxt : sat_qa[0] ? slot_end || lsb_nxt
                                                                  : !zero_qa && in_nxt && bit_q[0];
            dout_b_i  <= sat_qb[1] ? !slot_end && in_nxt : sat_qb[0] ? slot_end || lsb_nxt
                                                                  : !zero_qb && in_nxt && bit_q[1];
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
