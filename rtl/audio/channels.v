// The two channel words the interpolation engine takes, from the routed channels arriving
// bit-serially, LSB first (route.v): mono-bridged carries M = floor((L + R) / 2) on both (the
// mean, a one-bit adder, taken before the filter), and each word is saturated symmetrically to
// +-(2^23 - 1), decided when the 25th bit, the sign, has passed, and then loaded whole: -2^23,
// which has no mirror, becomes -(2^23 - 1), so that after the engine L- = -L+ holds for every
// input. out_valid rises when both words are whole.
`default_nettype none

module channels (
    input  wire        clk,
    // the channels, LSB first (26 bits, sign-extended)
    input  wire        in_valid,
    input  wire        in_first,
    input  wire        in_l,
    input  wire        in_r,
    // settings, taken at each frame's first bit
    input  wire        mono,      // TOPOLOGY = mono-bridged
    // the words, whole between frames
    output reg         out_valid,
    output reg  [23:0] l,
    output reg  [23:0] r
);
    localparam [23:0] MAX = 24'h7FFFFF, MIN = 24'h800001;  // +-(2^23 - 1)

    // the mean runs a bit ahead: word bit i comes with input bit i + 1
    reg       carry, l_d, r_d;
    reg [4:0] i;          // the word bit in flight
    reg       mean;
    wire      sum_bit = in_l ^ in_r ^ carry;
    wire      x_l = mean ? sum_bit : l_d;
    wire      x_r = mean ? sum_bit : r_d;
    wire      live = in_valid && !in_first;  // a word bit is here
    always @(posedge clk)
        if (in_valid) begin
            carry <= (in_l & in_r) | (!in_first & carry & (in_l ^ in_r));
            l_d   <= in_l;
            r_d   <= in_r;
            i     <= in_first ? 5'd0 : i + 5'd1;
            if (in_first)
                mean <= mono;
        end

    // per word: bits 0..22 all zero, bit 23
    reg zlow_l, zlow_r, b23_l, b23_r;
    wire shift = live && i < 5'd24;
    wire last  = live && i == 5'd24;  // x is the sign now
    // above +(2^23 - 1): MAX; at or below -2^23: MIN (x is the sign in the last cycle)
    wire pos_l = !x_l && b23_l, neg_l = x_l && (!b23_l || zlow_l);
    wire pos_r = !x_r && b23_r, neg_r = x_r && (!b23_r || zlow_r);
    always @(posedge clk)
        if (live) begin
            if (i < 5'd23) begin
                zlow_l <= (i == 5'd0 || zlow_l) && !x_l;
                zlow_r <= (i == 5'd0 || zlow_r) && !x_r;
            end
            if (i == 5'd23) begin
                b23_l <= x_l;
                b23_r <= x_r;
            end
        end

    // a cycle later, from flip-flops only: the words shift, or load a saturated value
    reg       shift_q, sat_l, sat_r, pos_lq, pos_rq, last_q;
    reg [1:0] bits_q;  // x_l, x_r
    always @(posedge clk) begin
        shift_q   <= shift;
        last_q    <= last;
        sat_l     <= last && (pos_l || neg_l);
        sat_r     <= last && (pos_r || neg_r);
        pos_lq    <= pos_l;
        pos_rq    <= pos_r;
        bits_q    <= {x_l, x_r};
        out_valid <= last_q;
    end
    always @(posedge clk) begin
        if (shift_q) begin
            l <= {bits_q[1], l[23:1]};
            r <= {bits_q[0], r[23:1]};
        end
        if (sat_l)
            l <= pos_lq ? MAX : MIN;
        if (sat_r)
            r <= pos_rq ? MAX : MIN;
    end
endmodule
