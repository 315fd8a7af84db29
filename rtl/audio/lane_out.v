// The lanes' words: each output frame's channel samples x (24 bits, +-(2^23 - 1)) times the
// lane's gain g (Q1.23, from lane_gain, made in the frame before), rounded to the word length
// N with TPDF dither, saturated symmetrically, negated for the minus lanes:
//
//   y = x g + rd 2^(33 - N)   (rd: half an LSB of the N-bit word, 2^13, plus dither, in 2^-14 LSB)
//   q = y >> (47 - N)         (floor), at most +-(2^(N-1) - 1); the word: q left-aligned in 32
//                             bits, zeros below; minus lanes of the balanced and mono-bridged
//                             topologies -q; silent lanes, and x = 0 (digital silence): 0
//
// Bit-serial, two engines in step, one per channel (L+ and R+ after frame_out has fetched the
// frame, L- and R- after the transmitter has taken those): x g in a serial-parallel multiplier
// (x parallel, g a bit a cycle from the gains' block RAM, LSB first: a 25-bit adder), rd added a
// bit at a time, the word's bits written to the transmitter's block RAM as they come (negated on
// the way for a minus lane: the bits after the first one inverted), where i2s_tx reads them MSB
// first: no 32-bit register holds a word. Saturation, which rounding can need only at the
// word's two ends, is known after the last bit: sat_a / sat_b tell the transmitter to send +max
// or -max instead; zero_a / zero_b to send zeros (silent lanes, x = 0). A minus lane is its plus
// lane's computation with its own gain, negated: with equal gains L- = -L+ exactly, dither and
// all (both use the channel's draw).
// The dither: rd = 2^13 + r1 - r2, r1 and r2 the two 14-bit halves of the channel's 28-bit
// LFSR, read a bit at a time as the LFSR moves (made with y's); it turns back to where it was in
// the plus lanes and steps 28 times in the minus lanes. Model: gm_lane_word, gm_dither,
// gm_frame (sim/gainmodel.c). A lane takes LANE_CYCLES: 53 of the 64 a 384 kHz slot has.
`default_nettype none

module lane_out (
    input  wire        clk,
    input  wire        rst,
    // the frame (frame_out)
    input  wire [23:0] x_l,
    input  wire [23:0] x_r,
    input  wire        start_plus,   // the frame's samples are here: L+ and R+
    input  wire        start_minus,  // the left slot has taken them: L- and R-
    input  wire        silent,       // zeros out
    // the gains (lane_gain): word w of the lane {minus} at {minus, w}, two cycles later
    output wire [2:0]  g_addr,
    input  wire [15:0] g_data_l,
    input  wire [15:0] g_data_r,
    // the transmitter's words: left-aligned, with {+max, -max} instead where sat says
    // the words' bits to the transmitter's RAM: bit k of the slot (0 the MSB) of the plus (0) or
    // minus (1) words at {minus, k}, A's (the left channel's) and B's (the right's) together
    output wire        bits_we,
    output wire [5:0]  bits_addr,
    output wire [1:0]  bits_data,
    output wire [1:0]  sat_a,        // {+max, -max}: send that instead
    output wire [1:0]  sat_b,
    output wire        zero_a,       // send zeros instead
    output wire        zero_b,
    output reg  [1:0]  word_code     // the word length (OUT_FORMAT.WORD codes) of these words
);
    localparam [5:0] LANE_CYCLES = 6'd53;
    localparam [5:0] FIRST_BIT = 6'd4;   // y's bit i at t = i + FIRST_BIT, i = 0 .. 47
    localparam [27:0] SEED_L = 28'h545F491, SEED_R = 28'hE3779B9;

    // ---- the sequence: the lanes {minus, channel}, cycle t of LANE_CYCLES. What each cycle
    // does comes from a table in block RAM at {word code, t} (seq_word below), read a cycle
    // ahead, so the lane's strobes are flip-flops with no comparator in front: the table's
    // word for t is what the cycle after t needs
    reg       busy, minus;
    reg       at_end;  // the lane's last cycle (t = LANE_CYCLES - 1)
    reg [5:0] t;
    reg [4:0] flags_l, flags_r;  // {word code, neg, zero, dither}
    wire [1:0] code = flags_l[4:3];  // both channels' alike
    always @(posedge clk) begin
        if (rst) begin
            busy <= 1'b0;
            t    <= 6'd0;
        end else if (start_plus || start_minus) begin
            busy  <= 1'b1;
            minus <= start_minus;
            t     <= 6'd0;
        end else if (busy) begin
            t    <= t + 6'd1;
            busy <= !at_end;
        end
    end

    // the table: bits of the word for t (all zero from t = LANE_CYCLES on, where t rests)
    localparam integer S_GSEL = 0;   // 2 bits: the gains' word next: 2 flags, 0 g's low, 1 high
    localparam integer S_GV = 2;     // t + 1 takes a bit of g (y's bit i = t + 1 - 3 < 24)
    localparam integer S_WIN = 3;    // y's bit i = t + 1 - FIRST_BIT is the word's (47 - N .. 46)
    localparam integer S_TOP = 4;    // ... its top (46)
    localparam integer S_LAST = 5;   // ... the one above (47)
    localparam integer S_RD = 6;     // rd's bit j is due: j = t + 1 - 3 - (33 - N)
    localparam integer S_J = 7;      // 2 bits: where j is: 0 below 13, 1 at 13, 2 at 14, 3 above
    localparam integer S_TURN = 9;   // the LFSRs move (j < 28)
    localparam integer S_T3 = 10;    // t + 1 = 3: the engines start over
    localparam integer S_NEAR = 11;  // t + 1 = LANE_CYCLES - 2: the engines decide the zeros
    localparam integer S_FLAGS = 12; // t + 1 = 2: the flags are here
    localparam integer FIRST = {26'd0, FIRST_BIT}, CYCLES = {26'd0, LANE_CYCLES};
    function automatic [15:0] seq_word(input integer c, input integer tt);
        integer u, i, rd_from, word_from, j;
        begin
            u = tt + 1;  // the cycle the word serves
            i = u - FIRST;
            rd_from = c == 2 ? 1 : c == 1 ? 9 : 17;  // 33 - N
            word_from = c == 2 ? 15 : c == 1 ? 23 : 31;
            j = i - rd_from + 1;  // rd's bit is made a cycle ahead of y's
            seq_word = 16'd0;
            seq_word[S_GSEL +: 2] = tt == 0 ? 2'd2 : tt >= 17 ? 2'd1 : 2'd0;
            seq_word[S_GV]    = u >= 3 && u < 27;
            seq_word[S_WIN]   = i >= word_from && i <= 46;
            seq_word[S_TOP]   = i == 46;
            seq_word[S_LAST]  = i == 47;
            seq_word[S_RD]    = j >= 0 && u < FIRST + 47;
            seq_word[S_J +: 2] = j < 13 ? 2'd0 : j == 13 ? 2'd1 : j == 14 ? 2'd2 : 2'd3;
            seq_word[S_TURN]  = j >= 0 && j < 28 && u < FIRST + 47;
            seq_word[S_T3]    = u == 3;
            seq_word[S_NEAR]  = u == CYCLES - 2;
            seq_word[S_FLAGS] = u == 2;
            if (tt >= CYCLES)
                seq_word = 16'd0;
        end
    endfunction
    reg [15:0] seq_rom [0:255];
    integer n;
    initial
        for (n = 0; n < 256; n = n + 1)
            seq_rom[n] = seq_word(n / 64, n % 64);
    reg [15:0] sq;
    always @(posedge clk)
        sq <= seq_rom[{code, t}];
    wire       near_end = sq[S_NEAR], t3 = sq[S_T3], rd_nxt = sq[S_RD], turn = sq[S_TURN];
    wire       j_lo = sq[S_J +: 2] == 2'd0, j13 = sq[S_J +: 2] == 2'd1,
               j14 = sq[S_J +: 2] == 2'd2, j_hi = sq[S_J + 1];
    always @(posedge clk)
        at_end <= sq[S_NEAR];

    // ---- the gains' words: flags (address at t = 0, here at 2), g's bits 15..0 (from t = 3),
    // g's bits 23..16 (from t = 19), each bit taken into a register the cycle before its turn
    assign g_addr = {minus, sq[S_GSEL +: 2]};
    always @(posedge clk) begin
        if (sq[S_FLAGS]) begin
            flags_l <= g_data_l[4:0];
            flags_r <= g_data_r[4:0];
        end
    end
    // y's bit i in each cycle from t = FIRST_BIT on, and what it is: a bit of g (i < 24), of rd
    // (from 33 - N), of the word (47 - N .. 46), its top, the one above
    wire       win = sq[S_WIN], top = sq[S_TOP], last = sq[S_LAST];
    reg        g_l, g_r;
    reg        gx_l, gx_r;  // g's bit and x's bit 0 (the product's new bit 0), registered too
    reg  [5:0] i_nxt;  // t - (FIRST_BIT - 1): g's bit for the next cycle
    always @(posedge clk)
        i_nxt <= start_plus || start_minus ? 6'd0 - (FIRST_BIT - 6'd1) : i_nxt + 6'd1;
    always @(posedge clk) begin
        g_l  <= sq[S_GV] && g_data_l[i_nxt[3:0]];
        g_r  <= sq[S_GV] && g_data_r[i_nxt[3:0]];
        gx_l <= sq[S_GV] && g_data_l[i_nxt[3:0]] && x_l[0];
        gx_r <= sq[S_GV] && g_data_r[i_nxt[3:0]] && x_r[0];
    end

    // ---- the dither: each channel's LFSR (Fibonacci, shifting right) moves a place a cycle from
    // rd's bit 0 on, so that bits 0 and 14 carry r1's and r2's bit j to the engine at rd's bit j:
    // 28 places a lane, turning in the plus lanes (back where it was: the minus lanes read the
    // same dither) and stepping in the minus lanes (the next frame's 28 bits)
    localparam [4:0] TAP_L = 5'd3, TAP_R = 5'd25;  // x^28 + x^3 + 1, x^28 + x^25 + 1
    reg  [27:0] lfsr_l, lfsr_r;
    always @(posedge clk)
        if (rst) begin
            lfsr_l <= SEED_L;
            lfsr_r <= SEED_R;
        end else if (turn) begin
            lfsr_l <= {lfsr_l[0] ^ (minus && lfsr_l[TAP_L]), lfsr_l[27:1]};
            lfsr_r <= {lfsr_r[0] ^ (minus && lfsr_r[TAP_R]), lfsr_r[27:1]};
        end

    // ---- the words' bits: y's bit i (cycle t = i + FIRST_BIT) is the slot's bit 46 - i, counted
    // down beside t
    wire       o_l, o_r;
    reg  [5:0] k_bit;  // 46 - i = 50 - t
    always @(posedge clk)
        k_bit <= start_plus || start_minus ? 6'd46 + FIRST_BIT : k_bit - 6'd1;
    assign bits_we   = win;
    assign bits_addr = {minus, k_bit[4:0]};
    assign bits_data = {o_r, o_l};

    // ---- the two engines
    lane_serial u_l (
        .clk     (clk),
        .t3      (t3),
        .x       (x_l),
        .g_i     (g_l),
        .gx0     (gx_l),
        .s0      (lfsr_l[0]),
        .s14     (lfsr_l[14]),
        .dither  (flags_l[0]),
        .j_lo    (j_lo),
        .j13     (j13),
        .j14     (j14),
        .j_hi    (j_hi),
        .rd_nxt  (rd_nxt),
        .win     (win),
        .top     (top),
        .last    (last),
        .neg     (flags_l[2]),
        .pre_fin (near_end),
        .quiet   (flags_l[1] || silent),
        .o       (o_l),
        .sat     (sat_a),
        .zero    (zero_a)
    );
    lane_serial u_r (
        .clk     (clk),
        .t3      (t3),
        .x       (x_r),
        .g_i     (g_r),
        .gx0     (gx_r),
        .s0      (lfsr_r[0]),
        .s14     (lfsr_r[14]),
        .dither  (flags_r[0]),
        .j_lo    (j_lo),
        .j13     (j13),
        .j14     (j14),
        .j_hi    (j_hi),
        .rd_nxt  (rd_nxt),
        .win     (win),
        .top     (top),
        .last    (last),
        .neg     (flags_r[2]),
        .pre_fin (near_end),
        .quiet   (flags_r[1] || silent),
        .o       (o_r),
        .sat     (sat_b),
        .zero    (zero_b)
    );

    always @(posedge clk)
        if (at_end)
            word_code <= code;

    /* verilator lint_off UNUSEDSIGNAL */
    wire unused = flags_r[4] ^ flags_r[3] ^ ^sq[15:13];
    /* verilator lint_on UNUSEDSIGNAL */
endmodule
