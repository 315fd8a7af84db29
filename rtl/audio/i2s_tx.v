// I2S transmitter, master, to two stereo DACs sharing BCLK and LRCLK: DAC A gets L+ (left
// slot) and L- (right slot), DAC B gets R+ and R-. Philips format, MSB first, 24 or 32-bit
// slots (a 24-bit sample left-aligned, zeros below it).
//
// Bit timing: a 32-bit phase accumulator adds fs * 4 * SLOT / SYS_CLK_HZ (scaled by 2^32) every
// cycle; each carry out is half a BCLK period. With the system clock at 2 x MCLK the ratio is
// exact (1/8, 3/32, ...: the frame is 1024 / 512 / 256 cycles); otherwise it is within 2^-32,
// and BCLK jitters by a cycle where the ratio is not whole.
//
// Each frame's four lanes are taken at once at its start (frame_take): one 48-bit register per
// line, L+ then L- (R+ then R-), shifting out MSB first; in 32-bit slots it rests for the eight
// zero bits after each sample.
`default_nettype none

module i2s_tx #(
    parameter integer SYS_CLK_HZ = 49152000
) (
    input  wire        clk,
    input  wire        rst,
    // format and timing
    input  wire [2:0]  rate,      // 1 44.1, 2 48, 3 88.2, 4 96, 5 176.4, 6 192 kHz
    input  wire        slot24,    // 24-bit slots (else 32)
    input  wire        align,     // strobe: start a frame half a frame from now, silent until then
    // lanes, taken at each frame's start
    input  wire [23:0] lp,
    input  wire [23:0] ln,
    input  wire [23:0] rp,
    input  wire [23:0] rn,
    output reg         frame_take,
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
    function automatic [31:0] step_of(input [2:0] r, input s24);
        reg [63:0] fs, q64;
        begin
            case (r)
                3'd1: fs = 64'd44100;
                3'd3: fs = 64'd88200;
                3'd4: fs = 64'd96000;
                3'd5: fs = 64'd176400;
                3'd6: fs = 64'd192000;
                default: fs = 64'd48000;
            endcase
            // fs * half-bits per frame * 2^32 / SYS_CLK_HZ, rounded
            q64 = ((fs * (s24 ? 64'd96 : 64'd128) << 32) + SYS64 / 2) / SYS64;
            step_of = q64[31:0];
        end
    endfunction
    /* verilator lint_on UNUSEDSIGNAL */
    // every (rate, slot) pair spelled out: synthesis sees a table of constants
    reg [31:0] step;
    always @(posedge clk)
        case ({rate, slot24})
            4'b001_0: step <= step_of(3'd1, 1'b0);
            4'b001_1: step <= step_of(3'd1, 1'b1);
            4'b011_0: step <= step_of(3'd3, 1'b0);
            4'b011_1: step <= step_of(3'd3, 1'b1);
            4'b100_0: step <= step_of(3'd4, 1'b0);
            4'b100_1: step <= step_of(3'd4, 1'b1);
            4'b101_0: step <= step_of(3'd5, 1'b0);
            4'b101_1: step <= step_of(3'd5, 1'b1);
            4'b110_0: step <= step_of(3'd6, 1'b0);
            4'b110_1: step <= step_of(3'd6, 1'b1);
            4'b010_1: step <= step_of(3'd2, 1'b1);
            default:  step <= step_of(3'd2, 1'b0);
        endcase

    // two 16-bit halves, the carry between them registered: the high half runs a cycle behind
    // the low one, and the tick (its carry) with it
    reg [15:0] phase_lo, phase_hi;
    reg        carry_lo;
    reg        half_tick;
    always @(posedge clk)
        if (rst || align) begin
            {carry_lo, phase_lo} <= 17'd0;
            {half_tick, phase_hi} <= 17'd0;
        end else begin
            {carry_lo, phase_lo}  <= {1'b0, phase_lo} + {1'b0, step[15:0]};
            {half_tick, phase_hi} <= {1'b0, phase_hi} + {1'b0, step[31:16]} + {16'd0, carry_lo};
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
    reg slot_end, right_nxt, pad_nxt, lr_nxt;
    always @(posedge clk) begin
        slot_end  <= q == last_bit;                          // the slot's last bit period
        right_nxt <= right ^ (q == last_bit);                // at the next falling edge
        pad_nxt   <= q >= 6'd23 && q != last_bit;            // the next bit is past the sample
        // LRCLK turns one bit before each word's MSB, with the previous word's last bit
        lr_nxt    <= right ^ (q == last_bit) ^ (q == last_less1);
    end

    reg [47:0] sh_a, sh_b;  // L+ then L-, R+ then R-
    always @(posedge clk) begin
        frame_take <= 1'b0;
        if (rst || align) begin
            // half a frame ahead: the high half of the left slot's last bit, lanes silent
            q     <= last_bit;
            right <= 1'b0;
            bclk  <= 1'b1;
            sh_a  <= 48'd0;
            sh_b  <= 48'd0;
        end else if (half_tick && bclk) begin
            // falling edge: the next bit period
            bclk   <= 1'b0;
            q      <= slot_end ? 6'd0 : q + 6'd1;
            right  <= right_nxt;
            lrclk  <= lr_nxt;
            dout_a <= !pad_nxt && sh_a[47];
            dout_b <= !pad_nxt && sh_b[47];
            if (!pad_nxt) begin
                sh_a <= {sh_a[46:0], 1'b0};
                sh_b <= {sh_b[46:0], 1'b0};
            end
        end else if (half_tick) begin
            // rising edge; in the frame's last bit, the next frame's lanes
            bclk <= 1'b1;
            if (slot_end && right) begin
                sh_a       <= {lp, ln};
                sh_b       <= {rp, rn};
                frame_take <= 1'b1;
            end
        end
    end
endmodule
