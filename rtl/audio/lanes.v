// Output topology and symmetric saturation, bit-serial: the routed channels arrive LSB first
// (route.v) and shift into the four lane registers the transmitter takes each frame. L- and R-
// are made from the same bits as L+ and R+: negated (bits unchanged up to the first 1,
// inverted after it), copied or zero, as the topology says. Saturation to +-(2^23 - 1) is
// decided when the 25th bit, the sign, has passed, and then loads the lane registers whole:
// -2^23, which has no mirror, becomes -(2^23 - 1), and since saturation is symmetric,
// L- = -L+ holds for every input. Mono-bridged carries M = floor((L + R) / 2) on both pairs.
`default_nettype none

module lanes (
    input  wire        clk,
    // the channels, LSB first (26 bits, sign-extended)
    input  wire        in_valid,
    input  wire        in_first,
    input  wire        in_l,
    input  wire        in_r,
    // settings (TOPOLOGY), taken at each frame's first bit
    input  wire [1:0]  topology,  // 0 balanced, 1 single-ended, 2 parallel, 3 mono-bridged
    // the lanes, whole between frames
    output reg  [23:0] lp,
    output reg  [23:0] ln,
    output reg  [23:0] rp,
    output reg  [23:0] rn
);
    localparam [1:0] TOPO_SE = 2'd1, TOPO_PARALLEL = 2'd2, TOPO_MONO = 2'd3;
    localparam [23:0] MAX = 24'h7FFFFF, MIN = 24'h800001;  // +-(2^23 - 1)

    // the mean runs a bit ahead: lane bit i comes with input bit i + 1
    reg       carry, l_d, r_d;
    reg [4:0] i;          // the lane bit in flight
    reg [1:0] topo;
    wire      sum_bit = in_l ^ in_r ^ carry;
    wire      x_l = topo == TOPO_MONO ? sum_bit : l_d;
    wire      x_r = topo == TOPO_MONO ? sum_bit : r_d;
    wire      live = in_valid && !in_first;  // a lane bit is here
    always @(posedge clk)
        if (in_valid) begin
            carry <= (in_l & in_r) | (!in_first & carry & (in_l ^ in_r));
            l_d   <= in_l;
            r_d   <= in_r;
            i     <= in_first ? 5'd0 : i + 5'd1;
            if (in_first)
                topo <= topology;
        end

    // per lane pair: the plus lane's bit, and what the minus lane makes of it
    reg seen_l, seen_r;     // a 1 has passed in the plus lane
    reg zlow_l, zlow_r;     // bits 0..22 all zero
    reg b23_l, b23_r;
    wire minus_neg = topo != TOPO_SE && topo != TOPO_PARALLEL;
    wire nx_l = topo == TOPO_SE ? 1'b0 : x_l ^ (minus_neg && i != 5'd0 && seen_l);
    wire nx_r = topo == TOPO_SE ? 1'b0 : x_r ^ (minus_neg && i != 5'd0 && seen_r);
    wire shift = live && i < 5'd24;
    wire last  = live && i == 5'd24;  // x is the sign now
    // above +(2^23 - 1): MAX; at or below -2^23: -MAX (x is the sign in the last cycle)
    wire pos_l = !x_l && b23_l, neg_l = x_l && (!b23_l || zlow_l);
    wire pos_r = !x_r && b23_r, neg_r = x_r && (!b23_r || zlow_r);
    always @(posedge clk)
        if (live) begin
            seen_l <= (i != 5'd0 && seen_l) | x_l;
            seen_r <= (i != 5'd0 && seen_r) | x_r;
            if (i < 5'd23) begin
                zlow_l <= (i == 5'd0 || zlow_l) && !x_l;
                zlow_r <= (i == 5'd0 || zlow_r) && !x_r;
            end
            if (i == 5'd23) begin
                b23_l <= x_l;
                b23_r <= x_r;
            end
        end

    // a cycle later, from flip-flops only: the lane registers shift, or load a saturated value
    reg       shift_q, sat_l, sat_r, pos_lq, pos_rq;
    reg [3:0] bits_q;  // x_l, nx_l, x_r, nx_r
    always @(posedge clk) begin
        shift_q <= shift;
        sat_l   <= last && (pos_l || neg_l);
        sat_r   <= last && (pos_r || neg_r);
        pos_lq  <= pos_l;
        pos_rq  <= pos_r;
        bits_q  <= {x_l, nx_l, x_r, nx_r};
    end
    always @(posedge clk) begin
        if (shift_q) begin
            lp <= {bits_q[3], lp[23:1]};
            ln <= {bits_q[2], ln[23:1]};
            rp <= {bits_q[1], rp[23:1]};
            rn <= {bits_q[0], rn[23:1]};
        end
        if (sat_l) begin
            lp <= pos_lq ? MAX : MIN;
            ln <= minus_const(pos_lq);
        end
        if (sat_r) begin
            rp <= pos_rq ? MAX : MIN;
            rn <= minus_const(pos_rq);
        end
    end

    // the minus lane of a saturated plus lane
    function automatic [23:0] minus_const(input pos);
        minus_const = topo == TOPO_SE ? 24'd0 : (minus_neg ^ pos) ? MAX : MIN;
    endfunction
endmodule
