// Test tone: a sine from a 32-bit phase accumulator and a bit-serial CORDIC (rotation mode).
// Bit-serial, the three 32-bit words x, y, z turn through one-bit adders, a bit a cycle; they
// are kept in two small block RAMs rather than flip-flops (one read at each word's bit 0, the
// other at the shifted operand's bit), so the CORDIC of 26 iterations takes about 900 cycles,
// within a 48 kHz frame (1024 cycles), in about a hundred and seventy cells.
//
// On start the level is taken. A first pass of 32 steps loads the words a bit a step: z takes
// the phase folded into [-pi/2, pi/2] (2^31 - phase where its top bits are 01 or 10: sin is the
// same there), x the level's amplitude over the CORDIC gain (a block-RAM table, 32 bits per
// 0.5 dB), y zeros; meanwhile the phase, kept beside them in the first ring, advances by inc a
// bit a step (it is zero again after a reset). Each iteration i: x -= d (y >> i),
// y += d (x >> i), z -= d atan(2^-i), d the sign of z (atan bits from a second table). y ends
// as A sin(phase) with 30 fraction bits; the sample is its bits 30..7, taken as the last
// iteration makes them and held until the next. sim/tonemodel.c is the bit-exact model;
// tools/tonegen writes both tables.
`default_nettype none

module tone (
    input  wire        clk,
    input  wire        rst,
    input  wire        start,   // strobe: make the next sample (ignored while one is being made,
                                // about 900 cycles: a start then would tear the phase)
    input  wire [31:0] inc,     // phase step per sample
    input  wire [7:0]  atten,   // 0.5 dB steps below full scale
    output wire [23:0] sample   // held from the end of one computation to the next one's
);
    localparam integer ITERS = 26;
    localparam [31:0]  LAST32 = ITERS - 1;
    localparam [4:0]   LAST_ITER = LAST32[4:0];

    // ---- tables: x0 per attenuation, four bits a word at {atten, bit / 4} (two block RAMs:
    // x takes it a bit a step while z folds); atan(2^-i) bit k at {i, k} (one; its upper half
    // unused, so that synthesis takes a block RAM rather than ~140 LUTs for it)
    reg [3:0]  x0_rom [0:2047];
    reg        atan_rom [0:2047];
    `include "tone_rom.vh"
    // a start that comes while a sample is being made (the source switching from the input's
    // frames to the blocks' can bring two close together) is dropped
    reg        busy, first;
    wire       go = start && !busy && !first;
    reg [7:0]  atten_q;    // the level, taken at start: x loads from one table row
    reg [3:0]  x0_q;
    reg        atan_q;
    wire [9:0] atan_next;  // the bit for the next step: the table's read is registered
    wire [2:0] x0_next;    // and x0's four bits
    always @(posedge clk) begin
        if (go)
            atten_q <= atten;
        x0_q   <= x0_rom[{atten_q, x0_next}];
        atan_q <= atan_rom[{1'b0, atan_next}];
    end

    // ---- sequence: LOAD (one cycle), FOLD (32 bit steps), then ITERS passes of 32
    reg        folding, rotating;        // rotating: an iteration step (busy, not folding)
    reg        fold_step;                // busy and folding, in one flip-flop
    reg [4:0]  k, iter;      // bit step, iteration
    reg [4:0]  iter_p1, iter_p2, iter_p3, lim;  // iter + 1, + 2, + 3, 31 - iter, kept beside it
    // first: the cycle after start: words load
    reg        last_k;       // k == 31, registered a cycle ahead
    reg        next_iter;    // and an iteration ends (the counters below move on it alone)
    reg        final_iter;   // the last iteration is running
    always @(posedge clk) begin
        first      <= go && !rst;
        last_k     <= busy && !first && k == 5'd30;
        next_iter  <= busy && !first && k == 5'd30 && rotating;
        final_iter <= rotating && iter == LAST_ITER;
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
            {iter, iter_p1, iter_p2, iter_p3, lim} <= {5'd0, 5'd1, 5'd2, 5'd3, 5'd31};
        else if (next_iter)
            {iter, iter_p1, iter_p2, iter_p3, lim} <= {iter_p1, iter_p2, iter_p3, iter_p3 + 5'd1, lim - 5'd1};
    end
    assign atan_next = {last_k && !folding ? iter_p1 : iter, k + 5'd1};
    // the load's bit counter, a step ahead of k through the fold: phase and x0 are read at it
    reg  [4:0] ld;
    always @(posedge clk)
        ld <= go ? 5'd0 : ld + 5'd1;
    assign x0_next = ld[4:2];

    // ---- the words: x, y and z turn right a bit a step, each a 32-bit ring in block RAM
    // rather than in flip-flops. Position p of a word at step-time t is at address (t + p) mod 32
    // (t is ld, which counts every cycle); the bit leaving position 0 is replaced at the same
    // address by the new bit, which enters at position 31. Two copies take every write: one is
    // read at position 0 (the word's own bit), the other at position i (the shifted operand,
    // x >> i, y >> i). Reads are made two steps ahead, through the RAM's register and one in
    // fabric, so no RAM output is on the adders' path; what is read was written at least 30
    // steps before. Past bit 31 the operand is the old sign. While z folds, x takes x0 and y
    // zeros, a bit a step.
    // The phase does not turn: its bit k is at address k + 1, where ld is as fold step k
    // reads and writes it (phase + inc, a bit a step); every other step writes its bit back.
    // Neither ring is read where it is written (ring_own two steps ahead of ld, ring_op the
    // tap, 2 to ITERS + 2, ahead): no read-during-write logic
    (* ram_style = "block", no_rw_check *) reg [3:0] ring_own [0:31];  // {phase, z, y, x}
    (* ram_style = "block", no_rw_check *) reg [1:0] ring_op  [0:31];   // {y, x}
    reg  [3:0] own_ram;              // the RAMs' registered reads
    reg  [1:0] op_ram;
    reg  [4:0] ra_own, ra_op;        // their addresses
    reg        x0b, y0b, z0b, p0b;   // bit 0 of each word this step, and the phase's bit k
    reg        xs_q, ys_q;           // bit i of x and y this step
    reg        x_top, y_top;         // the bit last entered: bit 31 at an iteration's step 0
    reg        x_sign, y_sign;       // old signs, for the shifted operands' extension
    reg        d_plus;               // z >= 0: rotate positively
    reg        cx, cy, cz;           // the serial adders' carries
    reg        seen;                 // fold: a 1 has passed (negation inverts after it)
    reg        fold;                 // this phase needs folding
    reg        step0, beyond;        // this cycle: bit 0; past the old word's top
    wire       shift = fold_step || rotating;
    wire       x_in, y_in, z_in;
    reg  [4:0] tap;
    // the operand read two cycles on serves the step two after it: within iteration i it is
    // at position i + 2 then, from step 30 (the next iteration's operands, in the new word)
    // i + 3; the first iteration's steps 0 to 3 read x0's bits 0 to 3 there too
    always @(posedge clk)
        tap <= !folding && k[4:2] == 3'b111 ? iter_p3 : iter_p2;
    always @(posedge clk) begin
        ra_own <= go ? 5'd2 : ra_own + 5'd1;  // ld two steps on
        ra_op  <= ld + tap + 5'd1;  // ld next cycle, plus the tap
        if (shift) begin
            ring_own[ld] <= {ph_in, z_in, y_in, x_in};
            ring_op[ld]  <= {y_in, x_in};
        end
        own_ram <= ring_own[ra_own];
        op_ram  <= ring_op[ra_op];
        {p0b, z0b, y0b, x0b} <= own_ram;
        {ys_q, xs_q}    <= op_ram;
        step0  <= first || (busy && last_k);
        // k + 1 + i > 31 within this iteration
        beyond <= rotating && !last_k && k >= lim;
    end
    wire       xs = beyond ? x_sign : xs_q;
    wire       ys = beyond ? y_sign : ys_q;
    reg        z31_n;  // !z[31]: the bit last entered, inverted
    wire       dp = step0 ? z31_n : d_plus;
    // x - d ys, y + d xs, z - d atan: subtraction as the inverted operand plus a carry in
    wire       xo = x0b ^ (ys ^ dp);
    wire       yo = y0b ^ (xs ^ !dp);
    // z's new bit: at step 0 the direction cancels out of it (the carry in is dp itself), so
    // the sign just made does not loop back through it
    wire       z_new = step0 ? z0b ^ atan_q : z0b ^ atan_q ^ d_plus ^ cz;
    wire       cin_x = step0 ? dp : cx, cin_y = step0 ? !dp : cy, cin_z = step0 ? dp : cz;
    // the phase's bit k while z folds (zero after a reset until the first fold has made it
    // anew), inc's bit k read a step ahead, their sum bit and carry
    reg        ph_zero;  // the ring's phase is stale: read it as zero
    reg        inc_q, cp;
    reg  [4:0] ld_1;     // ld + 1: inc's bit is chosen in two registered steps, four bits first
    reg  [3:0] inc_4;
    reg  [1:0] inc_sel;
    reg [1:0]  ph_top;   // the phase's bits 30 and 31, as they were last written
    wire       ph_q  = p0b && !ph_zero;
    wire       cin_p = !step0 && cp;
    wire       ph_in = fold_step ? ph_q ^ inc_q ^ cin_p : p0b;
    always @(posedge clk) begin
        ld_1    <= go ? 5'd1 : ld_1 + 5'd1;
        // at a start, bit 0 for the fold's step 0: ld_1 then still counts from the last sample,
        // which is 32 steps apart only when the samples are a multiple of 32 cycles apart
        inc_4   <= go ? inc[3:0] : inc[{ld_1[4:2], 2'b00} +: 4];
        inc_sel <= go ? 2'd0 : ld_1[1:0];
        inc_q   <= inc_4[inc_sel];
        if (fold_step) begin
            cp     <= majority(ph_q, inc_q, cin_p);
            ph_top <= {ph_in, ph_top[1]};
        end
        if (rst) begin
            ph_zero <= 1'b1;
            ph_top  <= 2'b00;
        end else if (fold_step && last_k) begin
            ph_zero <= 1'b0;
        end
    end
    // z = 2^31 - z while folding: negate (bits pass up to the first 1, inverted after), flip bit 31
    wire       z_fold = (fold ? ph_q ^ (!step0 && seen) : ph_q) ^ (fold && last_k);
    assign x_in = fold_step ? x0_q[k[1:0]] : xo ^ cin_x;  // x0's bit k: all of x0 after the fold
    assign y_in = !fold_step && (yo ^ cin_y);
    assign z_in = fold_step ? z_fold : z_new;

    always @(posedge clk) begin
        if (first)
            fold <= ph_top[1] ^ ph_top[0];
        if (shift) begin
            x_top <= x_in;
            y_top <= y_in;
            z31_n <= !z_in;
        end
        if (fold_step)
            seen <= (!step0 && seen) | ph_q;
        if (rotating) begin
            if (step0) begin
                x_sign <= x_top;
                y_sign <= y_top;
                d_plus <= z31_n;
            end
            cx <= majority(x0b, ys ^ dp, cin_x);
            cy <= majority(y0b, xs ^ !dp, cin_y);
            cz <= majority(z0b, atan_q ^ dp, cin_z);
        end
    end

    // the sample: y's bits 7..30 as the last iteration makes them; zero after reset (silence
    // until the first sample), held from then to the next one's
    reg [23:0] out;
    reg        take_out;  // steps 7..30 of the last iteration (equalities only: no carry chain)
    always @(posedge clk) begin
        take_out <= final_iter && (take_out ? k != 5'd30 : k == 5'd6);
        if (rst)
            out <= 24'd0;
        else if (take_out)
            out <= {y_in, out[23:1]};
    end

    function automatic majority(input a, input b, input c);
        majority = (a & b) | (c & (a ^ b));
    endfunction

    assign sample = out;
endmodule
