// Test tone: a sine from a 32-bit phase accumulator and a bit-serial CORDIC (rotation mode).
// Bit-serial, the three 32-bit words x, y, z turn through one-bit adders, and each shifted
// operand (x >> i, y >> i) is one tap of a 32-way multiplexer: a CORDIC of 26 iterations in
// about 900 cycles and a few dozen cells, ready well within a 48 kHz frame (1024 cycles).
//
// On start: the phase is taken and advanced by inc; x gets the level's amplitude over the
// CORDIC gain (a block-RAM table, one word per 0.5 dB), y zero, z the phase. A first pass folds
// z into [-pi/2, pi/2] (2^31 - z where its top bits are 01 or 10: sin is the same there); then
// each iteration i: x -= d (y >> i), y += d (x >> i), z -= d atan(2^-i), d the sign of z (atan
// bits from a second table). y ends as A sin(phase) with 30 fraction bits; the sample is its
// bits 30..7. sim/tonemodel.c is the bit-exact model; tools/tonegen writes both tables.
`default_nettype none

module tone (
    input  wire        clk,
    input  wire        rst,
    input  wire        start,   // strobe: make the next sample (at least 900 cycles apart)
    input  wire [31:0] inc,     // phase step per sample
    input  wire [7:0]  atten,   // 0.5 dB steps below full scale
    output wire [23:0] sample   // valid from the end of one computation to the next start
);
    localparam integer ITERS = 26;
    localparam [31:0]  LAST32 = ITERS - 1;
    localparam [4:0]   LAST_ITER = LAST32[4:0];

    // ---- tables: x0 per attenuation (two block RAMs), atan(2^-i) bit k at {i, k} (one; its
    // upper half unused, so that synthesis takes a block RAM rather than ~140 LUTs for it)
    reg [31:0] x0_rom [0:255];
    reg        atan_rom [0:2047];
    `include "tone_rom.vh"
    reg [31:0] x0_q;
    reg        atan_q;
    wire [9:0] atan_next;  // the bit for the next step: the table's read is registered
    always @(posedge clk) begin
        x0_q   <= x0_rom[atten];
        atan_q <= atan_rom[{1'b0, atan_next}];
    end

    // ---- sequence: LOAD (one cycle), FOLD (32 bit steps), then ITERS passes of 32
    reg [31:0] phase;
    reg        busy, folding, rotating;  // rotating: an iteration step (busy, not folding)
    reg        fold_step;                // busy and folding, in one flip-flop
    reg [4:0]  k, iter;      // bit step, iteration
    reg [4:0]  iter_p1, iter_p2, lim;  // iter + 1, iter + 2, 31 - iter, kept beside it
    reg        first;        // the cycle after start: words load
    reg        last_k;       // k == 31, registered a cycle ahead
    reg        next_iter;    // and an iteration ends (the counters below move on it alone)
    reg        final_iter;   // the last iteration is running
    always @(posedge clk) begin
        first      <= start && !rst;
        last_k     <= busy && !first && k == 5'd30;
        next_iter  <= busy && !first && k == 5'd30 && rotating;
        final_iter <= rotating && iter == LAST_ITER;
        if (rst)
            phase <= 32'd0;
        else if (start)
            phase <= phase + inc;
        if (rst) begin
            busy      <= 1'b0;
            rotating  <= 1'b0;
            fold_step <= 1'b0;
        end else if (first) begin
            busy      <= 1'b1;
            folding   <= 1'b1;
            fold_step <= 1'b1;
            k         <= 5'd0;
        end else if (busy) begin
            k <= k + 5'd1;
            if (last_k) begin
                folding   <= 1'b0;
                fold_step <= 1'b0;
                rotating  <= !final_iter;
                busy      <= !final_iter;
            end
        end
        if (first)
            {iter, iter_p1, iter_p2, lim} <= {5'd0, 5'd1, 5'd2, 5'd31};
        else if (next_iter)
            {iter, iter_p1, iter_p2, lim} <= {iter_p1, iter_p2, iter_p2 + 5'd1, lim - 5'd1};
    end
    assign atan_next = {last_k && !folding ? iter_p1 : iter, k + 5'd1};

    // ---- the words, turning right: position 0 holds bit k of the old word, new bits enter
    // at the top. Bit k + i of the old word is at position i while k + i < 32; a cycle earlier
    // it is at i + 1, where a registered tap takes it (the 32-way multiplexer is then off the
    // adders' path). Past bit 31 the operand is the old sign.
    reg [31:0] x, y, z;
    reg        x_sign, y_sign;       // old signs, for the shifted operands' extension
    reg        d_plus;               // z >= 0: rotate positively
    reg        cx, cy, cz;           // the serial adders' carries
    reg        seen;                 // fold: a 1 has passed (negation inverts after it)
    reg        fold;                 // this phase needs folding
    // what the next cycle needs, registered now
    // where the next cycle's operand bits are now: one copy for each word's multiplexer, each
    // placed by its own (they would be merged otherwise)
    (* keep *) reg [4:0] tap;
    (* keep *) reg [4:0] tap_y;
    reg        step0, beyond;        // this cycle: bit 0; past the old word's top
    reg        xs_q, ys_q;
    always @(posedge clk) begin
        step0  <= first || (busy && last_k);
        // k + 1 + i > 31 within this iteration
        beyond <= rotating && !last_k && k >= lim;
        // next cycle's tap: i + 1 within an iteration, i + 2 from its step 30 (then the new
        // word's bit i + 1 is one place up at step 31), 0 while folding (x stands still), 1
        // for the first iteration's step 0
        tap    <= folding ? (last_k ? 5'd1 : 5'd0) : k[4:1] == 4'b1111 ? iter_p2 : iter_p1;
        tap_y  <= folding ? (last_k ? 5'd1 : 5'd0) : k[4:1] == 4'b1111 ? iter_p2 : iter_p1;
        xs_q   <= x[tap];
        ys_q   <= y[tap_y];
    end
    wire       xs = beyond ? x_sign : xs_q;
    wire       ys = beyond ? y_sign : ys_q;
    reg        z31_n;  // !z[31], a copy of its own beside the logic (z is a long shift register)
    wire       dp = step0 ? z31_n : d_plus;
    // x - d ys, y + d xs, z - d atan: subtraction as the inverted operand plus a carry in
    wire       xo = x[0] ^ (ys ^ dp);
    wire       yo = y[0] ^ (xs ^ !dp);
    // z's new bit: at step 0 the direction cancels out of it (the carry in is dp itself), so
    // the sign just made does not loop back through it
    wire       z_new = step0 ? z[0] ^ atan_q : z[0] ^ atan_q ^ d_plus ^ cz;
    wire       cin_x = step0 ? dp : cx, cin_y = step0 ? !dp : cy, cin_z = step0 ? dp : cz;
    // z = 2^31 - z while folding: negate (bits pass up to the first 1, inverted after), flip bit 31
    wire       z_fold = (fold ? z[0] ^ (!step0 && seen) : z[0]) ^ (fold && last_k);
    always @(posedge clk)
        if (start) begin
            z     <= phase;  // the phase of this sample; it advances as z takes it
            z31_n <= !phase[31];
        end else if (fold_step) begin
            z     <= {z_fold, z[31:1]};
            z31_n <= !z_fold;
        end else if (rotating) begin
            z     <= {z_new, z[31:1]};
            z31_n <= !z_new;
        end

    always @(posedge clk) begin
        if (first) begin
            x    <= x0_q;
            fold <= z[31] ^ z[30];
        end
        if (fold_step)
            seen <= (!step0 && seen) | z[0];
        if (rotating) begin
            if (step0) begin
                x_sign <= x[31];
                y_sign <= y[31];
                d_plus <= !z[31];
            end
            x  <= {xo ^ cin_x, x[31:1]};
            cx <= majority(x[0], ys ^ dp, cin_x);
            cy <= majority(y[0], xs ^ !dp, cin_y);
            cz <= majority(z[0], atan_q ^ dp, cin_z);
        end
    end

    // y: zero after reset (silence until the first sample) and at each load
    always @(posedge clk)
        if (rst || first)
            y <= 32'd0;
        else if (rotating)
            y <= {yo ^ cin_y, y[31:1]};

    function automatic majority(input a, input b, input c);
        majority = (a & b) | (c & (a ^ b));
    endfunction

    assign sample = y[30:7];
endmodule
