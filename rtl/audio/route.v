// Routing and polarity, bit-serial: after each input frame both samples leave LSB first, one
// bit a cycle, and the routed, signed channels come out the same way (26 bits: sign-extended
// far enough for the mean and a negation, which `channels` saturates). Serial, the mean is a
// one-bit adder, a channel choice is a one-bit multiplexer and a negation is one flip-flop
// (bits pass unchanged up to the first 1, inverted after it), so the stage costs a few cells,
// not a few per bit.
`default_nettype none

module route (
    input  wire        clk,
    // input: the left sample with its strobe, then the frame strobe with the right sample
    input  wire        in_left,
    input  wire        in_valid,
    input  wire [23:0] in_sample,
    input  wire        in_silent,  // play zeros for this frame
    // settings (ROUTE)
    input  wire [2:0]  mode,       // 0 stereo, 1 swap, 2 mono, 3 left, 4 right
    input  wire        invert_l,
    input  wire        invert_r,
    // the routed channels, LSB first: bit j of each in the cycle out_valid is high j-th time
    output reg         out_valid,  // a frame's bits in a row, a gap between frames
    output reg         out_first,  // with bit 0
    output reg         out_l,
    output reg         out_r
);
    localparam integer NBITS = 26;  // bits out: the mean's and a negation's 25, and one more

    reg [23:0] xl, xr;       // the samples, shifting right (sign-extending)
    reg [5:0]  left;         // bits still to come out, counting the one in flight
    reg        run, first, silent;
    reg        carry;        // of L + R
    reg        l_d, r_d;     // bit j of L and R, beside bit j + 1 of the sum (= bit j of the mean)
    reg        seen_l, seen_r;  // a 1 has passed: negation inverts from here
    wire       sum_bit = xl[0] ^ xr[0] ^ carry;
    always @(posedge clk) begin
        if (in_left)
            xl <= in_sample;
        if (in_valid) begin
            xr     <= in_sample;
            silent <= in_silent;
            run    <= 1'b1;
            left   <= NBITS[5:0];
            carry  <= 1'b0;
        end else if (run) begin
            xl    <= {xl[23], xl[23:1]};
            xr    <= {xr[23], xr[23:1]};
            carry <= (xl[0] & xr[0]) | (carry & (xl[0] ^ xr[0]));
            l_d   <= xl[0];
            r_d   <= xr[0];
            left  <= left - 6'd1;
            run   <= left != 6'd1;
        end
    end

    // a cycle behind the shifting: bit j of L and R in l_d, r_d beside bit j of the mean
    reg  emit;
    wire a = silent ? 1'b0 : pick(mode, 1'b0, l_d, r_d, sum_bit);
    wire b = silent ? 1'b0 : pick(mode, 1'b1, l_d, r_d, sum_bit);
    always @(posedge clk) begin
        emit      <= run && !in_valid;
        out_valid <= emit;
        out_first <= emit && first;
        if (in_valid)
            first <= 1'b1;
        else if (emit)
            first <= 1'b0;
        if (emit) begin
            out_l  <= a ^ (invert_l && seen_l_now(first, seen_l));
            out_r  <= b ^ (invert_r && seen_l_now(first, seen_r));
            seen_l <= seen_l_now(first, seen_l) | a;
            seen_r <= seen_l_now(first, seen_r) | b;
        end
    end

    // whether a 1 has passed before this bit (nothing before bit 0)
    function automatic seen_l_now(input is_first, input seen);
        seen_l_now = !is_first && seen;
    endfunction

    // channel ch (0 left, 1 right) of the routing mode, from bits of L, R and their mean
    function automatic pick(input [2:0] m, input ch, input l, input r, input mean);
        case (m)
            3'd1:    pick = ch ? l : r;
            3'd2:    pick = mean;
            3'd3:    pick = l;
            3'd4:    pick = r;
            default: pick = ch ? r : l;
        endcase
    endfunction
endmodule
