// The four lanes' gains and meters: once per output frame, for each lane k = {right, minus}
// (L+, L-, R+, R-) in turn, its attenuation moves toward its target by at most GAIN_STEP (1/256
// dB units), and its linear gain and flags for the next frame are written where lane_out reads
// them.
//
//   target = mute or hold ? GAIN_SILENT : min(max(VOLUME - TRIM_k, CEILING), GAIN_SILENT)
//   cur    = silent ? GAIN_SILENT : cur moved toward target by at most GAIN_STEP
//   g      = T1[cur / 256] x T2[cur % 256] / 2^39  (Q1.23; the tables 10^(-k/20) and
//            10^(-j/5120) at 2^31, three 16 x 16 products summed inside two SB_MAC16; T1 is
//            zero from 144 dB on, so g = 0)
//
// VOLUME, the trims and CEILING are read from a mirror of the register file (its RAM write
// port, the 16 low bits), the attenuations kept in a block RAM of their own with the ALU's
// constants; the target and the ramp are one 18-bit ALU in two stages stepped through load,
// add, subtract, max and min. Only what the flags need (mute, topology, word length, dither)
// comes from flip-flops.
// The gains go to two block RAMs, one per channel (lane_out's two engines read them at once),
// each in two halves: lane_out reads the half written in the frame before while this frame's
// is made (word w of the channel's lane {minus} at {half, minus, w}: 0 the gain's bits 15..0,
// 1 its bits 23..16, 2 the flags).
// The meters ride on the same ALU and RAM, in each lane's cycles after its gain: the level of
// the sample the lane plays, 1/256 dB below full scale, is the sample's (from a normalizer:
// T_s[shifts] + T_m[the 7 bits below the top], tables in the attenuations' RAM) plus the
// lane's attenuation; its peak (the least level) and its clip count (frames with the sample
// at full scale, level 0) are words of that RAM, which a register bus target (PEAK_*,
// CLIPS_*) reads and clears in a cycle no lane uses.
// Bit-exact model: gm_frame in sim/gainmodel.c. A lane takes LANE_CYCLES: 112 cycles a frame,
// where a 384 kHz frame has 128.
`default_nettype none

module lane_gain (
    input  wire        clk,
    input  wire        rst,
    // the register file's RAM writes (sys_regs)
    input  wire        reg_we,
    input  wire [5:0]  reg_addr,
    input  wire [15:0] reg_data,
    // settings from flip-flops
    input  wire        mute,
    input  wire        hold,      // a filter switch: to silence, as mute
    input  wire [1:0]  topology,
    input  wire [1:0]  word,      // OUT_FORMAT.WORD
    input  wire        slot24,
    input  wire        dither,
    // frames
    input  wire        start,     // an output frame's words are being made: make the next gains
    input  wire        silent,    // the output is silent: every lane snaps to GAIN_SILENT
    output reg         quiet,     // every lane's attenuation is GAIN_SILENT (its gain 0)
    // the gains to lane_out: {minus, w} of the half made in the frame before, two cycles later
    input  wire [2:0]  g_addr,
    output reg  [15:0] g_data_l,
    output reg  [15:0] g_data_r,
    // the frame's samples for the meters (frame_out's block RAM word: R while peek_right, else L)
    input  wire [23:0] peek,
    output reg         peek_right,
    // register bus target: PEAK_* and CLIPS_* (docs/buses.md; read only, a read clears)
    input  wire        mtr_req,
    input  wire [1:0]  mtr_op,
    input  wire [2:0]  mtr_addr,
    output reg         mtr_ack,
    output wire [1:0]  mtr_resp,
    output wire [15:0] mtr_rdata   // the RAM's word: valid with ack (the decoder gates it)
);
    `include "regmap.vh"
    `include "bus.vh"

    localparam [15:0] SILENT = BAL_GAIN_SILENT[15:0];
    localparam [17:0] STEP = {10'd0, BAL_GAIN_STEP};
    localparam [4:0]  LANE_CYCLES = 5'd28;
    localparam [7:0]  A_SILENT = 8'd4, A_STEP = 8'd5, A_NSTEP = 8'd6, A_ONE = 8'd7;  // constants
    // the meters' words in atten: PEAK_k at 8 + k, CLIPS_k at 12 + k (k in the registers' order),
    // T_s[s] at 32 + s, T_m[m] at 128 + m (gain_rom.vh)
    localparam [1:0]  A_PEAKS = 2'd2, A_CLIPS = 2'd3;  // {A_*, k}: the words' addresses / 4
    localparam [4:0]  SHIFTS = 5'd23;  // the normalizer's most: 0 and -1 never normalize
    initial if (REG_PEAK_LN != REG_PEAK_LP + 16'd1 || REG_PEAK_RP != REG_PEAK_LP + 16'd2 ||
                REG_PEAK_RN != REG_PEAK_LP + 16'd3 || REG_CLIPS_LP != REG_PEAK_LP + 16'd4 ||
                REG_CLIPS_RN != REG_PEAK_LP + 16'd7)
        $error("PEAK_* and CLIPS_* must be eight words in lane order, PEAK_LP first");
    localparam [1:0]  TOPO_BALANCED = V_TOPOLOGY_MODE_BALANCED, TOPO_SE = V_TOPOLOGY_MODE_SE,
                      TOPO_MONO = V_TOPOLOGY_MODE_MONO;

    // ---- the RAMs: the settings' mirror, the attenuations, the tables, the gains
    (* no_rw_check *) reg [15:0] mirror [0:63];
    (* no_rw_check *) reg [15:0] atten [0:255];  // lanes 0..3, the constants, meters, tables
    reg [15:0] t1_rom [0:511];
    reg [15:0] t2_rom [0:511];
    (* no_rw_check *) reg [15:0] gains_l [0:255];  // {half, minus, w} at 0..15
    (* no_rw_check *) reg [15:0] gains_r [0:255];
    integer i;
    initial begin
        for (i = 0; i < 64; i = i + 1)
            mirror[i] = 16'd0;
        for (i = 0; i < 256; i = i + 1) begin
            gains_l[i] = 16'd0;
            gains_r[i] = 16'd0;
        end
        for (i = 0; i < 32; i = i + 1)  // from 32 on: the meters' tables, gain_rom.vh
            atten[i] = i < 5 || (i >= 8 && i < 12) ? SILENT : 16'd0;
        atten[A_STEP]  = STEP[15:0];
        atten[A_NSTEP] = -STEP[15:0];
        atten[A_ONE]   = 16'd1;
    end
    `include "gain_rom.vh"

    reg  [5:0]  m_addr;
    reg  [7:0]  a_raddr;
    reg  [3:0]  a_waddr;
    reg  [15:0] m_q, a_q, t1_q, t2_q;
    reg         a_we, g_we;
    reg  [15:0] a_wd, g_wd;
    reg  [8:0]  t1_addr, t2_addr;
    reg  [3:0]  g_waddr;
    reg         g_right;
    reg  [1:0]  k;
    reg         half;  // the half being written; lane_out reads the other
    always @(posedge clk) begin
        if (reg_we)
            mirror[reg_addr] <= reg_data;
        m_q <= mirror[m_addr];
        if (a_we)
            atten[{4'd0, a_waddr}] <= a_wd;
        a_q  <= atten[a_raddr];
        t1_q <= t1_rom[t1_addr];
        t2_q <= t2_rom[t2_addr];
        if (g_we && !g_right)
            gains_l[{4'd0, g_waddr}] <= g_wd;
        if (g_we && g_right)
            gains_r[{4'd0, g_waddr}] <= g_wd;
        g_data_l <= gains_l[{4'd0, !half, g_addr}];
        g_data_r <= gains_r[{4'd0, !half, g_addr}];
    end

    // ---- the sequence: lane k, cycle t of its LANE_CYCLES. t runs on between the frames' lanes
    // (from 0 at each start), so the meters' port has its cycle (t = 3) in every lane's time
    reg        busy;
    reg        at19, at20;  // t = 19 and 20 of a lane, from flip-flops: the enables they drive
                            // are wide, a decode of t in front of them too slow
    reg        silent_q;  // silent, as the frame started
    reg        mute_q;    // mute or hold, as the frame started
    reg  [4:0] t;
    always @(posedge clk) begin
        if (rst) begin
            busy <= 1'b0;
            half <= 1'b0;
            t    <= 5'd0;
            at19 <= 1'b0;
            at20 <= 1'b0;
        end else if (start) begin
            busy     <= 1'b1;
            silent_q <= silent;
            mute_q   <= mute || hold;
            half     <= !half;
            k        <= 2'd0;
            t        <= 5'd0;
        end else begin
            t    <= t == LANE_CYCLES - 5'd1 ? 5'd0 : t + 5'd1;
            at19 <= busy && t == 5'd18;
            at20 <= at19;
            if (busy && t == LANE_CYCLES - 5'd1) begin
                k    <= k + 2'd1;
                busy <= k != 2'd3;
            end
        end
    end

    // ---- the target and the ramp on one ALU (each RAM word arrives two cycles after its
    // address): VOLUME, - TRIM_k, max CEILING, min GAIN_SILENT (mute, hold: GAIN_SILENT), - cur,
    // min STEP, max -STEP, + cur (silent: GAIN_SILENT). The operands all come from the two RAMs:
    // the settings from the mirror, cur and the constants from the attenuations' RAM, where they
    // sit above the lanes' words (the ALU's operand is then a 2:1 choice, not a 6:1).
    // Then the meters: + T_s, + T_m (the level), min PEAK_k (load it for a lane that plays
    // zeros), written back; load CLIPS_k, + 1 where the sample is at full scale, written back
    // (not past 0xFFFF).

    // the meters' inputs: the lane's flags (a lane that plays zeros is not metered), the
    // normalizer's result, the port's read (below)
    wire       zero_q;
    reg        clip_q;  // the lane's sample is at full scale: level 0
    reg  [4:0] n_shifts;
    wire [6:0] n_mant;
    reg        port_go;    // the port reads its word now
    reg        port_w;     // and clears it: two cycles after the read's address
    reg  [2:0] port_addr;  // the register read: {clips, k}
    localparam [2:0] OP_LOAD = 3'd0, OP_ADD = 3'd1, OP_SUB = 3'd2, OP_MAX = 3'd3, OP_MIN = 3'd4,
                     OP_NONE = 3'd5;
    wire [5:0]  trim_addr = REG_TRIM_LP[5:0] + {4'd0, k};  // LP, LN, RP, RN in the map
    // the mirror's word for t: VOLUME at t < 2, TRIM_k at t < 4, then CEILING; decided as t
    // moves (flip-flops, where a decode of t into m_addr was a seed's critical path)
    reg         m_volume, m_trim;
    always @(posedge clk) begin
        m_volume <= start || t == LANE_CYCLES - 5'd1 || t == 5'd0;  // t is then 0 or 1
        m_trim   <= !start && (t == 5'd1 || t == 5'd2);             // 2 or 3
    end
    reg  [2:0]  op;  // this cycle's operation, decoded the cycle before: its enables are wide
    always @(posedge clk) begin
        op <= OP_NONE;
        case (t)
            5'd1:  op <= OP_LOAD;                     // VOLUME
            5'd3:  op <= OP_SUB;                      // TRIM_k
            5'd5:  op <= OP_MAX;                      // CEILING
            5'd7:  op <= mute_q ? OP_LOAD : OP_MIN;   // GAIN_SILENT
            5'd9:  op <= OP_SUB;                      // cur
            5'd11: op <= OP_MIN;                      // STEP
            5'd13: op <= OP_MAX;                      // -STEP
            5'd15: op <= silent_q ? OP_LOAD : OP_ADD; // cur, or GAIN_SILENT
            5'd17: op <= OP_ADD;                      // T_s
            5'd19: op <= OP_ADD;                      // T_m
            5'd21: op <= zero_q ? OP_LOAD : OP_MIN;   // PEAK_k
            5'd23: op <= OP_LOAD;                     // CLIPS_k
            5'd25: op <= clip_q && !zero_q ? OP_ADD : OP_NONE;  // 1
            default: ;
        endcase
    end
    wire        use_a = t >= 5'd8;                // the operand from the attenuations' RAM
    wire        sgn = t == 5'd4 || t == 5'd14;    // a signed one: TRIM_k, -STEP
    wire        trim = t == 5'd4;                 // TRIM_k's 10 bits: sign-extended to 16
    wire [15:0] q = use_a ? a_q : trim ? {{6{m_q[9]}}, m_q[9:0]} : m_q;
    wire [17:0] b = {{2{sgn && q[15]}}, q};
    always @(posedge clk)
        if (port_go)  // at t = 3 (or 0, where a start came): no lane reads before t = 6
            a_raddr <= {4'd0, A_PEAKS[1], port_addr};
        else case (t)
            5'd6:    a_raddr <= A_SILENT;
            5'd10:   a_raddr <= A_STEP;
            5'd12:   a_raddr <= A_NSTEP;
            5'd14:   a_raddr <= silent_q ? A_SILENT : {6'd0, k};
            5'd16:   a_raddr <= {3'b001, n_shifts};
            5'd18:   a_raddr <= {1'b1, n_mant};
            5'd20:   a_raddr <= {4'd0, A_PEAKS, k};
            5'd22:   a_raddr <= {4'd0, A_CLIPS, k};
            5'd24:   a_raddr <= A_ONE;
            default: a_raddr <= {6'd0, k};
        endcase
    // the operation (decoded) and its operand registered; the ALU in two stages, an operation
    // every other cycle: the sum (and b < alu) registered, then alu takes the sum (add,
    // subtract) or b (load; max and min when b wins), else holds. Its result at t = 19
    reg         do_sum, do_load, do_max, do_min, minus_b;
    reg  [17:0] b_q;
    reg  [17:0] alu;
    wire [17:0] sum = alu + (b_q ^ {18{minus_b}}) + {17'd0, minus_b};
    reg         sum_in, load_b, max_b, min_b;  // the second stage's
    reg  [17:0] sum_q;
    wire        lt = sum_q[17];  // alu < b (no overflow: both within +-2^17)
    wire        take_b = load_b || (max_b && lt) || (min_b && !lt);
    always @(posedge clk) begin
        m_addr  <= m_volume ? REG_VOLUME[5:0] : m_trim ? trim_addr : REG_CEILING[5:0];
        if (op != OP_NONE)  // held for the second stage
            b_q <= b;
        do_sum  <= busy && (op == OP_ADD || op == OP_SUB);
        do_load <= busy && op == OP_LOAD;
        do_max  <= busy && op == OP_MAX;
        do_min  <= busy && op == OP_MIN;
        minus_b <= op == OP_SUB || op == OP_MAX || op == OP_MIN;
        sum_q   <= sum;
        {sum_in, load_b, max_b, min_b} <= {do_sum, do_load, do_max, do_min};
        if (sum_in || take_b)
            alu <= sum_in ? sum_q : b_q;
    end

    // ---- the attenuation back, its flags; the tables (T1 high, low, high; T2 low, high, high)
    reg [1:0] code;   // the word length in force: WORD, at most the slot's
    reg [2:0] flags;  // {neg, zero, dither}
    assign    zero_q = flags[1];
    always @(posedge clk) begin
        code <= slot24 && word == V_OUT_FORMAT_WORD_BITS32 ? V_OUT_FORMAT_WORD_BITS24 :
                word > V_OUT_FORMAT_WORD_BITS32 ? V_OUT_FORMAT_WORD_BITS32 : word;
        // the tables' rows taken at t = 19 and held: the ALU moves on to the meters
        if (at19) begin
            t1_addr[8:1] <= alu[15:8];
            t2_addr[8:1] <= alu[7:0];
        end
        t1_addr[0] <= at20;
        t2_addr[0] <= at19;
        if (at19)
            flags <= {k[0] && (topology == TOPO_BALANCED || topology == TOPO_MONO),
                      alu[15:0] >= SILENT || (k[0] && topology == TOPO_SE),
                      dither && !(alu[15:0] == 16'd0 && code != V_OUT_FORMAT_WORD_BITS16)};
    end

    // ---- the attenuations' RAM's writes: the lane's attenuation (from t = 19), its peak (from
    // t = 25), its clip count (from the next lane's t = 1; not past 0xFFFF), and the port's
    // clears (PEAK_k to GAIN_SILENT, CLIPS_k to 0)
    reg       peak_due, clip_due, clip_go, clip_go2;
    reg [1:0] clip_k;
    always @(posedge clk) begin
        peak_due <= busy && t == 5'd24;
        if (busy && t == 5'd26)
            clip_k <= k;
        clip_go  <= busy && t == 5'd26;  // its result is in the ALU at the next lane's t = 1
        clip_go2 <= clip_go;
        clip_due <= clip_go2;
        a_we     <= at19 || peak_due || (clip_due && !alu[16]) || port_w;
        a_waddr  <= port_w ? {1'b1, port_addr} : peak_due ? {A_PEAKS, k} :
                    clip_due ? {A_CLIPS, clip_k} : {2'd0, k};
        // the clears' words: GAIN_SILENT (bits 15 and 12) or 0; else the ALU's
        a_wd     <= port_w ? (port_addr[2] ? 16'd0 : SILENT) : alu[15:0];
    end

    // ---- quiet: every lane's new attenuation at GAIN_SILENT, as the last lane's is made
    reg quiet_run;  // the lanes before this one's
    reg at_silent;  // the lane's new attenuation (t = 19) at GAIN_SILENT, a cycle later
    always @(posedge clk)
        at_silent <= alu[15:0] >= SILENT;
    always @(posedge clk)
        if (rst) begin
            quiet <= 1'b0;
        end else if (at20) begin
            quiet_run <= (k == 2'd0 || quiet_run) && at_silent;
            if (k == 2'd3)
                quiet <= quiet_run && at_silent;
        end

    // ---- g on two SB_MAC16, no fabric adder: the tables' words (T1h T2l at t = 21, T1l T2h at
    // 22, T1h T2h from 23 on) go straight into the DSPs' operand registers. The first sums the
    // two cross products in its accumulator (cleared at 21, so it holds their sum at t = 24;
    // after that it runs on, unused); the second adds its high half to T1h T2h, held from
    // t = 24: g30 = T1h T2h + (T1h T2l + T1l T2h) / 2^16 (Q2.30, the sum < 2^32), from t = 25
    reg [15:0] xa, xb, ha, hb;
    reg        x_clr;
    reg [31:0] xsum, g30;
    always @(posedge clk) begin
        xa    <= t1_q;
        xb    <= t2_q;
        x_clr <= t == 5'd20;
        if (x_clr)
            xsum <= 32'd0;
        else
            xsum <= xsum + xa * xb;
        if (t == 5'd23) begin
            ha <= t1_q;
            hb <= t2_q;
        end
        if (t == 5'd24)
            g30 <= {16'd0, xsum[31:16]} + ha * hb;
    end

    // ---- the gain (Q1.23: Q2.30 >> 7) and its flags out
    always @(posedge clk) begin
        g_we    <= busy && (t == 5'd25 || t == 5'd26 || t == 5'd27);
        g_right <= k[1];
        g_waddr <= {half, k[0], t == 5'd27, t == 5'd26};
        g_wd    <= t == 5'd25 ? g30[22:7] : t == 5'd26 ? {8'd0, g30[30:23]} : {11'd0, code, flags};
    end

    // ---- the meters' normalizer: the sample shifted left until its top two bits differ, the
    // shifts counted (up to SHIFTS: 0 and -1 take that many); n_mant the 7 bits below them
    // (inverted for a negative sample, whose one's complement is within a step of its
    // magnitude). L is taken at the end of a frame's pass (the frame's sample; the left lanes
    // meter it in the next pass), R after the left lanes' last use (this frame's); each is done
    // before its lanes' t = 16
    reg  [23:0] nx;
    reg         n_load;
    assign      n_mant = nx[21:15] ^ {7{nx[23]}};
    always @(posedge clk) begin
        peek_right <= busy && k == 2'd1 && t == 5'd17;  // frame_out's word is R two cycles on
        n_load     <= busy && ((k == 2'd1 && t == 5'd18) || (k == 2'd3 && t == 5'd26));
        // nx shifts while its top bits agree (0 stays 0), the count stops at SHIFTS: the
        // word's enable is a compare of two flip-flops, not of the count
        if (n_load)
            nx <= peek;
        else if (nx[23] == nx[22])
            nx <= {nx[22:0], 1'b0};
        if (n_load)
            n_shifts <= 5'd0;
        else if (nx[23] == nx[22] && n_shifts != SHIFTS)
            n_shifts <= n_shifts + 5'd1;
        if (t == 5'd18)
            clip_q <= n_shifts == 5'd0 && n_mant == 7'h7F;
    end

    // ---- the register bus target: a read waits for its lane's t = 3, reads the word (the lanes
    // use none of the RAM's ports from t = 23 to 5) and clears it two cycles later, as the
    // answer goes with the RAM's word. Checks answer at once: every word of the window reads,
    // none writes
    reg port_pend;
    assign mtr_rdata = a_q;
    // reads and read checks pass, write checks do not (the master holds op until the answer)
    assign mtr_resp  = mtr_op == BUS_READ || mtr_op == BUS_CHECK_RD ? BUS_OK : BUS_BAD_ADDR;
    always @(posedge clk) begin
        mtr_ack   <= 1'b0;
        port_go   <= 1'b0;
        port_w    <= port_go;  // the word comes out of the RAM as it is cleared
        if (rst) begin
            port_pend <= 1'b0;
        end else if (mtr_req) begin
            if (mtr_op == BUS_READ) begin
                port_pend <= 1'b1;
                port_addr <= mtr_addr;
            end else begin
                mtr_ack <= 1'b1;
            end
        end else if (port_pend && t == 5'd2) begin
            port_pend <= 1'b0;
            port_go   <= 1'b1;
        end
        if (port_w)  // the answer with the word
            mtr_ack <= 1'b1;
    end

    /* verilator lint_off UNUSEDSIGNAL */
    wire unused = g30[31] ^ alu[17] ^ ^g30[6:0] ^ ^xsum[15:0] ^ ^nx[14:0];
    /* verilator lint_on UNUSEDSIGNAL */
endmodule
