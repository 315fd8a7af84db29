// The fade a filter switch makes, bit-serial between routing and `channels`: each routed channel
// times gain / 256 (gain 0..256), y = floor(x * gain / 256) (ip_ramp in sim/interp.h), exact at
// 256. A serial-parallel multiplier: for each bit x_t of the channel, LSB first, the partial
// sum p = floor(p / 2) + x_t * gain, and bit t of the product is p's LSB; the product's bits 8
// and up are y. The input is IN_BITS bits a channel, sign-extended (so the product is right up
// to its bit IN_BITS - 1), one a cycle, with a gap before the next frame (the
// partial sums and the bit count start over in it); the output is the product's bits
// 8 .. IN_BITS - 1, in the same stream form.
// Fading before the filter keeps the output band-limited: the switch makes no step a listener
// could hear as a click. Two 10-bit adders: a few cells, not a 24 x 9 multiplier.
`default_nettype none

module ramp #(
    parameter integer IN_BITS = 34
) (
    input  wire        clk,
    input  wire [8:0]  gain,       // held while a frame's bits pass (filter_bank moves it between)
    // the routed channels, LSB first (route.v)
    input  wire        in_valid,
    input  wire        in_l,
    input  wire        in_r,
    // the scaled channels, LSB first, IN_BITS - 8 bits a channel
    output reg         out_valid,
    output reg         out_first,
    output reg         out_l,
    output reg         out_r
);
    localparam integer SHIFT = 8;  // gain / 256
    localparam integer TW = $clog2(IN_BITS);
    localparam [TW-1:0] FIRST_OUT = SHIFT[TW-1:0];

    // the bits' partial products into flip-flops beside the adders first (the bits come from
    // across the chip)
    reg           valid_q;
    reg  [8:0]    pp_l, pp_r;
    reg  [TW-1:0] t;         // the input bit in this cycle
    reg  [8:0]    p_l, p_r;  // floor(partial sum / 2), for the next bit; zero between frames
    wire [9:0]    next_l = {1'b0, p_l} + {1'b0, pp_l};
    wire [9:0]    next_r = {1'b0, p_r} + {1'b0, pp_r};
    always @(posedge clk) begin
        valid_q   <= in_valid;
        pp_l      <= in_l ? gain : 9'd0;
        pp_r      <= in_r ? gain : 9'd0;
        out_valid <= valid_q && t >= FIRST_OUT;
        out_first <= valid_q && t == FIRST_OUT;
        t     <= valid_q ? t + 1'b1 : {TW{1'b0}};
        p_l   <= valid_q ? next_l[9:1] : 9'd0;
        p_r   <= valid_q ? next_r[9:1] : 9'd0;
        out_l <= next_l[0];
        out_r <= next_r[0];
    end
endmodule
