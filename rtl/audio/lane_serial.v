`default_nettype none

// One channel's engine: y = x g + rd 2^(33 - N) a bit a cycle, LSB first; the word's bits out
// as they come (o, negated if neg), for the transmitter's RAM; sat = {+max, -max} once the last
// bit is in; zero when the word is to be sent as zeros instead.
module lane_serial (
    input  wire        clk,
    input  wire        t3,        // the cycle before the first bit: start over
    input  wire [23:0] x,
    input  wire        g_i,       // g's bit i (0 from bit 24 on)
    input  wire        gx0,       // g_i and x's bit 0, from a flip-flop: the sum's bit 0 is then
                                  // one LUT from flip-flops, where y's consumers fan out
    // the channel's LFSR as it moves: at rd's bit j (j < 14) s0 is r1's bit j and s14 r2's
    // (r1 = bits 13..0, r2 = bits 27..14 of the frame's state)
    input  wire        s0,
    input  wire        s14,
    input  wire        dither,
    input  wire        j_lo,      // rd's bit j in the next cycle (while rd_nxt): j < 13,
    input  wire        j13,       // j = 13,
    input  wire        j14,       // j = 14,
    input  wire        j_hi,      // j >= 14
    input  wire        rd_nxt,    // rd's bits are due in the next cycle
    input  wire        win,       // a bit of the word
    input  wire        top,       // the word's top bit
    input  wire        last,      // the bit above it: y's sign
    input  wire        neg,
    input  wire        pre_fin,   // the lane's last cycle is next: zeros then if quiet or x = 0
    input  wire        quiet,
    output wire        o,         // the word's bit in this cycle (while win)
    output reg  [1:0]  sat,
    output reg         zero
);
    // x g: p <- (p + g_i x) / 2 each bit, the product's bit i the sum's LSB
    reg  [24:0] p;
    wire [24:0] sum = p + (g_i ? {x[23], x} : 25'd0);
    // rd = (r1 + 2^13) + ~r2 + 1, a bit at a time (r1 + 2^13: r1's bit 13 moves up a place and
    // is inverted in its place; without dither r1 = r2 = 0)
    reg         s0_q;  // r1's bit 13 at j = 14
    always @(posedge clk)
        s0_q <= s0;
    wire        a_j = dither ? (j_lo ? s0 : j13 ? !s0 : j14 && s0_q) : j13;
    wire        nb_j = j_hi || !(dither && s14);
    reg         rd_carry, r;  // r: rd's bit in this cycle
    // y's bit: the product's plus rd's plus the carry
    reg         carry;
    wire        prod0 = p[0] ^ gx0;  // sum[0]
    /* verilator lint_off UNUSEDSIGNAL */
    wire        unused_sum0 = sum[0];  // prod0 makes it from flip-flops
    /* verilator lint_on UNUSEDSIGNAL */
    wire        y = prod0 ^ r ^ carry;
    // the word's bits, negated after the first one where neg
    reg         seen, low_zero, y_top, x_zero;
    reg         zap;  // the lane's last cycle, and the word is to be zero
    always @(posedge clk)
        zap <= pre_fin && (quiet || x_zero);
    assign      o = y ^ (neg && seen);
    always @(posedge clk) begin
        if (t3) begin
            p        <= 25'd0;
            rd_carry <= 1'b1;
            r        <= 1'b0;
            carry    <= 1'b0;
            seen     <= 1'b0;
            low_zero <= 1'b1;
            zero     <= 1'b0;
            x_zero   <= x == 24'd0;
        end else begin
            p     <= {sum[24], sum[24:1]};
            carry <= (prod0 & r) | (carry & (prod0 ^ r));
            r <= rd_nxt && (a_j ^ nb_j ^ rd_carry);
            if (rd_nxt)
                rd_carry <= (a_j & nb_j) | (rd_carry & (a_j ^ nb_j));
            if (win) begin
                seen     <= seen || y;
                low_zero <= low_zero && (top || !y);
            end
            if (top)
                y_top <= y;
            // q above +max, or at or below -(2^(N-1)): the other end, for a minus lane
            if (last)
                sat <= neg ? {y && (!y_top || low_zero), !y && y_top}
                           : {!y && y_top, y && (!y_top || low_zero)};
            if (zap) begin
                zero <= 1'b1;
                sat  <= 2'b00;
            end
        end
    end
endmodule
