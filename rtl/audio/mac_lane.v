// The MAC lane: one tap a cycle, 24-bit data times a 32-bit Q1.30 coefficient, on three
// SB_MAC16 (inferred: each multiplier's operands and product are registers yosys packs into
// the DSP). Bit-exact model: ip_mac_* in sim/interp.c, which also explains the arithmetic:
//   d = dh 2^8 + dl,  c = ch 2^16 + cl  (cl signed, ch = c[31:16] + c[15])
//   acc += dh ch                        (DSP 1's own 32-bit accumulator)
//   xs  += (dh cl >>> 12) + (dl ch >>> 4)  (DSPs 2 and 3, summed in fabric; xs starts at 2^9)
//   y    = sat((acc + (xs >>> 4)) >>> 6)   to +-(2^23 - 1)
//
// A pass is a run of taps: in_valid with each, in_first with the first and in_last with the
// last. Between passes at least GAP idle cycles (in_valid low): the accumulators are cleared
// by the next pass's first tap while they still hold the last one's sum. The result comes
// LATENCY cycles after the last tap enters: out_valid for a cycle, out_y held until the next.
// On idle cycles the coefficient register is zeroed, so the products of idle cycles are zero.
`default_nettype none

module mac_lane (
    input  wire        clk,
    // taps
    input  wire        in_valid,
    input  wire        in_first,
    input  wire        in_last,
    input  wire [23:0] in_d,      // two's complement
    input  wire [31:0] in_c,      // Q1.30, at most 32'h7FFF7FFF
    // results
    output reg         out_valid,
    output reg  [23:0] out_y
);
    // GAP = 4 idle cycles between passes, at least; LATENCY = 10 cycles from the last tap in to
    // out_valid (rtl/audio/interp.vh gives both to the sequencer)
    // xs has 30 bits (IP_XS_BITS: passes of up to 512 taps)
    localparam [9:0] ROUND = 10'd512;  // 2^9: xs / 2^10 rounds to nearest
    localparam [23:0] MAX = 24'h7FFFFF, MIN = 24'h800001;  // +-(2^23 - 1)

    // ---- stage 0: the RAMs' words into fabric registers; an idle cycle's coefficient is zero
    reg [23:0] d0;
    reg [31:0] c0;
    reg        first0, last0;
    always @(posedge clk) begin
        d0     <= in_d;
        c0     <= in_valid ? in_c : 32'd0;
        first0 <= in_valid && in_first;
        last0  <= in_valid && in_last;
    end

    // ---- stage 1: the multipliers' operands (the DSPs' input registers)
    reg signed [15:0] dh1, ch1, cl1;
    reg signed [8:0]  dl1;
    reg               first1, last1;
    always @(posedge clk) begin
        dh1    <= d0[23:8];
        dl1    <= {1'b0, d0[7:0]};
        ch1    <= c0[31:16] + {15'd0, c0[15]};
        cl1    <= c0[15:0];
        first1 <= first0;
        last1  <= last0;
    end

    // ---- stage 2: the products (the DSPs' pipeline registers)
    reg signed [31:0] p_hh, p_hl;
    reg signed [24:0] p_lh;
    reg               first2, last2;
    always @(posedge clk) begin
        p_hh   <= dh1 * ch1;
        p_hl   <= dh1 * cl1;
        p_lh   <= dl1 * ch1;
        first2 <= first1;
        last2  <= last1;
    end

    // ---- stage 3: dh ch accumulates in DSP 1 (cleared the cycle before the first product
    // arrives, when it holds an idle cycle's zero); the cross products are truncated and summed
    reg signed [31:0] acc;
    reg signed [20:0] xsum;
    reg               first3, last3;
    always @(posedge clk) begin
        if (first1)
            acc <= 32'sd0;
        else
            acc <= acc + p_hh;
        xsum   <= {p_hl[31], p_hl[31:12]} + p_lh[24:4];
        first3 <= first2;
        last3  <= last2;
    end

    // ---- stage 4: the cross products accumulate in fabric from the rounding constant, in three
    // 10-bit parts: xs = xs_c 2^20 + xs_b 2^10 + xs_a, each carry (and the part of xsum it goes
    // with) registered on its way up, so xs_b is final a cycle after xs_a and xs_c a cycle after
    // that (the idle cycles after a pass add zero)
    reg [9:0]  xs_a, xs_b, xs_c;
    reg        carry_a, carry_b;
    reg [10:0] xsum_d;   // xsum's bits 20:10, a cycle late
    reg        sign_dd;  // xsum's sign, two cycles late
    reg        last4;
    always @(posedge clk) begin
        if (first2) begin
            {carry_a, xs_a} <= {1'b0, ROUND};
            {carry_b, xs_b} <= 11'd0;
            xs_c            <= 10'd0;
            xsum_d          <= 11'd0;
            sign_dd         <= 1'b0;
        end else begin
            {carry_a, xs_a} <= {1'b0, xs_a} + {1'b0, xsum[9:0]};
            {carry_b, xs_b} <= {1'b0, xs_b} + {1'b0, xsum_d[9:0]} + {10'd0, carry_a};
            xs_c            <= xs_c + {10{sign_dd}} + {9'd0, carry_b};
            xsum_d          <= xsum[20:10];
            sign_dd         <= xsum_d[10];
        end
        last4 <= last3;
    end

    // ---- stages 6 and 7: t = acc + (xs >>> 4), 33 bits, in two halves: the low one the cycle
    // xs_b is final, the high one with xs_c a cycle later (acc, DSP 1's accumulator, holds its
    // sum through both: the next pass clears it no earlier, GAP says so)
    reg [15:0] t_lo;
    reg        t_carry;
    reg [16:0] t_hi;
    reg        last5, last6, last7;
    always @(posedge clk) begin
        if (last5)
            {t_carry, t_lo} <= {1'b0, acc[15:0]} + {1'b0, xs_b, xs_a[9:4]};
        if (last6)
            t_hi <= {acc[31], acc[31:16]} + {{7{xs_c[9]}}, xs_c} + {16'd0, t_carry};
        last5 <= last4;
        last6 <= last5;
        last7 <= last6;
    end

    // ---- stages 8 and 9: y = t >>> 6 into out_y with its saturation flags, then saturated
    // symmetrically (above 2^23 - 1: MAX; at or below -2^23: MIN) by bit tests, the zero test
    // of y's low bits begun a stage early; out_y is whole when out_valid rises
    wire [26:0] y_full = {t_hi, t_lo[15:6]};
    reg         lo_zero, y_pos_over, y_neg_over, last8;
    always @(posedge clk) begin
        lo_zero    <= t_lo[15:6] == 10'd0;
        y_pos_over <= !y_full[26] && |y_full[25:23];
        y_neg_over <= y_full[26] && (!(&y_full[25:23]) || (lo_zero && y_full[22:10] == 13'd0));
        last8      <= last7;
        out_valid  <= last8;
        if (last7)
            out_y <= y_full[23:0];
        else if (last8 && y_pos_over)
            out_y <= MAX;
        else if (last8 && y_neg_over)
            out_y <= MIN;
    end

    /* verilator lint_off UNUSEDSIGNAL */
    wire unused = first3 ^ ^xs_a[3:0] ^ ^p_hl[11:0] ^ ^p_lh[3:0] ^ ^t_lo[5:0];  // truncated bits
    /* verilator lint_on UNUSEDSIGNAL */
endmodule
