// The audio datapath from the I2S input pins to the two DACs' pins:
//
//   i2s_rx (or tone) -> route -> channels (mono mean, saturation) -> interp (1/2/4/8x, NOS)
//   -> frame_out (blocks) -> lane_out (the four lanes: gains from lane_gain, dither, word
//   length, saturation, topology) -> i2s_tx
// filter_bank, a register bus target, keeps the stage-1 banks and runs the switch between them
// (it holds the lanes' gains at silence, by their ramp, while it swaps); lane_gain, another,
// answers for the meters.
//
// Samples move as frame strobes (docs/buses.md). The engine runs once per input frame and
// leaves a block of 2^ratio output frames; the transmitter plays the blocks at the input's
// rate times the ratio. While a locked input plays, the transmitter is aligned once, half an
// input frame after the engine finishes its first block, and plays each block from then on, the
// next always done half a frame before it is due (a block is played
// exactly once while the input and the system clock share a master clock; from the crystal a
// block is now and then repeated or skipped). Otherwise it runs at 48 kHz times the ratio and
// asks for each input frame itself, at every block start (the tone is made at 48 kHz).
// After reset, and after every change of the ratio, of NOS or of the stage-1 bank (which
// filter_bank makes only once the lanes are silent), the engine runs silence through
// its rings (FLUSH_FRAMES frames) while the output stays silent; so does it until the
// coefficients are in place.
`default_nettype none

module audio_path #(
    parameter integer SYS_CLK_HZ = 49152000
) (
    input  wire        clk,
    input  wire        rst,
    input  wire        mute,       // CTRL.MUTE
    input  wire        ready,      // datapath out of reset and settled
    // the register file's RAM writes: VOLUME, TRIM_*, CEILING (lane_gain mirrors them)
    input  wire        reg_we,
    input  wire [5:0]  reg_addr,
    input  wire [15:0] reg_data,
    // settings
    input  wire [1:0]  source,     // AUDIO_SOURCE.SOURCE
    input  wire [2:0]  route_mode,
    input  wire        invert_l,
    input  wire        invert_r,
    input  wire [1:0]  topology,
    input  wire        slot24,
    input  wire [1:0]  out_word,   // OUT_FORMAT.WORD
    input  wire        dither,
    input  wire [31:0] tone_inc,
    input  wire [7:0]  tone_atten,
    input  wire [1:0]  ratio,      // OVERSAMPLE.RATIO: log2 of the ratio asked for
    input  wire        nos,
    // status
    output wire [2:0]  in_rate,
    output wire        in_locked,
    output wire [1:0]  in_slot,
    output reg  [2:0]  out_rate,   // the frame rate the engine takes (codes as RATE)
    output reg  [1:0]  out_ratio,  // log2 of the ratio in force
    output reg         filter_ready,
    output reg  [2:0]  silence,    // AUDIO_STATUS.SILENCE: why the output is silent or fading
    // register bus target: the filter banks (filter_bank.v)
    input  wire        flt_req,
    input  wire [1:0]  flt_op,
    input  wire [11:0] flt_addr,   // within the window 0x8000-0x8FFF
    input  wire [31:0] flt_wdata,
    output wire        flt_ack,
    output wire [1:0]  flt_resp,
    output wire [31:0] flt_rdata,
    // register bus target: the meters (lane_gain.v), PEAK_* and CLIPS_*
    input  wire        mtr_req,
    input  wire [1:0]  mtr_op,
    input  wire [2:0]  mtr_addr,
    output wire        mtr_ack,
    output wire [1:0]  mtr_resp,
    output wire [15:0] mtr_rdata,
    // I2S input pins (asynchronous)
    input  wire        i2s_bclk,
    input  wire        i2s_lrclk,
    input  wire        i2s_data,
    // DAC pins
    output reg         dac_mclk,
    output wire        dac_bclk,
    output wire        dac_lrclk,
    output wire        dac_a_data,
    output wire        dac_b_data
);
    `include "regmap.vh"

    localparam [2:0] RATE_48K = V_AUDIO_STATUS_RATE_R48K;
    localparam [7:0] FLUSH_FRAMES = 8'd160;  // stage 1's ring, then 2's and 3's, run empty

    // ---- input
    wire        rx_left, rx_valid;
    wire [23:0] rx_sample;
    i2s_rx u_rx (
        .clk          (clk),
        .rst          (rst),
        .bclk         (i2s_bclk),
        .lrclk        (i2s_lrclk),
        .data         (i2s_data),
        .left_valid   (rx_left),
        .frame_valid  (rx_valid),
        .sample       (rx_sample),
        .slot_code    (in_slot)
    );

    rate_detect #(
        .SYS_CLK_HZ (SYS_CLK_HZ)
    ) u_rate (
        .clk        (clk),
        .rst        (rst),
        .frame      (rx_valid),
        .locked     (in_locked),
        .rate       (in_rate)
    );

    // ---- the signal's path: source, routing and topology apply only while the lanes are
    // silent. A change holds the gains at silence (by their ramp), applies once they are there
    // (at once when they already are) and releases them: they ramp back up. So do they while
    // no source plays (the input absent or unlocked, or SILENCE chosen): they ramp down, and up
    // again when it plays.
    localparam integer PATH_BITS = 9;
    wire [PATH_BITS-1:0] path_asked = {source, route_mode, invert_l, invert_r, topology};
    reg  [PATH_BITS-1:0] path_live;
    reg        path_moved;  // registered: the compare stays off the gains' and the route's paths
    reg        gains_hold;  // to lane_gain: the targets at silence, as mute
    wire [1:0] path_source = path_live[8:7];
    wire [2:0] path_route = path_live[6:4];
    wire       path_inv_l = path_live[3], path_inv_r = path_live[2];
    wire [1:0] path_topology = path_live[1:0];
    wire       switch_hold, gains_quiet;  // a bank switch holds the lanes at silence; they are there
    always @(posedge clk) begin
        path_moved <= path_asked != path_live;
        if (rst || (path_moved && gains_quiet))
            path_live <= path_asked;
    end

    // ---- the output's rate: the base (the input's or 48 kHz) and the ratio it allows
    // (8x up to 48 kHz, 4x up to 96, 2x above); the transmitter's family and multiple
    reg  [1:0] base_mult;  // 0: 44.1/48, 1: 88.2/96, 2: 176.4/192 kHz
    reg  [1:0] ratio_cap;
    wire [2:0] base_less1 = out_rate - 3'd1;
    reg        fam48;
    reg  [1:0] tx_mult;
    always @(posedge clk) begin
        if (rst || path_source != V_AUDIO_SOURCE_SOURCE_I2S)
            out_rate <= RATE_48K;
        else if (in_locked)
            out_rate <= in_rate;
        base_mult <= base_less1[2:1];
        fam48     <= !out_rate[0];
        ratio_cap <= 2'd3 - base_mult;
        out_ratio <= ratio > ratio_cap ? ratio_cap : ratio;
        tx_mult   <= base_mult + out_ratio;
    end

    // ---- which frames play, and the output's alignment: decisions registered, so the strobes
    // that fan out into the route and transmitter come from flip-flops
    wire        block_start, block_done, engine_ready, overrun;
    wire [23:0] tone_sample;
    reg  play_input;  // the source is the input, and it is locked
    reg  play_tone;
    reg  aligned;     // the transmitter has been aligned to the input's blocks
    reg  waiting;     // for the alignment: half a frame after the first block is done
    reg  [9:0] wait_count;
    reg  align, tx_restart, route_left, route_frame, route_silent, tone_start;
    reg  [23:0] route_sample;
    reg  [7:0] flush;  // input frames of silence still to run through the engine
    reg  [5:0] engine_setting;
    // the stage-1 bank the engine runs: the live one, or bank 0 while the live one is too long
    // for the input's rate (then `short`)
    wire [2:0] live_bank;
    wire [8:0] s1_taps;
    reg  [2:0] s1_bank;
    reg        short;
    localparam [8:0] FIT_96K = {1'b0, BAL_FILTER_TAPS_FIT_96K}, FIT_192K = {1'b0, BAL_FILTER_TAPS_FIT_192K};
    always @(posedge clk) begin
        short   <= base_mult == 2'd1 ? s1_taps > FIT_96K : base_mult == 2'd2 && s1_taps > FIT_192K;
        s1_bank <= short ? 3'd0 : live_bank;
    end
    reg        setting_moved;  // the ratio or NOS changed (registered: it resets wide)
    wire       flushing = flush != 8'd0;
    wire       ch_valid;
    always @(posedge clk) begin
        play_input   <= path_source == V_AUDIO_SOURCE_SOURCE_I2S && in_locked && !rst;
        play_tone    <= path_source == V_AUDIO_SOURCE_SOURCE_TONE;
        gains_hold   <= switch_hold || path_moved || !(play_input || play_tone);
        // the transmitter starts playing a block half an input frame after the engine finished
        // it: the next block is then done half a frame before it is due
        align        <= waiting && wait_count == 10'd0;
        tx_restart   <= rst || (waiting && wait_count == 10'd0);  // the transmitter's, in one
        // the tone's sample goes in as both channels when a block starts
        route_left   <= play_input ? rx_left : block_start;
        route_frame  <= play_input ? rx_valid : block_start;
        route_silent <= !(play_input || play_tone) || !ready || flushing;
        // the sample beside its strobe: the receiver holds it a cycle past its own
        route_sample <= play_tone ? tone_sample : rx_sample;
        tone_start   <= route_frame && play_tone;  // the next sample, once route has this one
        engine_setting <= {s1_bank, out_ratio, nos};
        setting_moved  <= engine_setting != {s1_bank, out_ratio, nos};
        if (rst || !play_input || setting_moved) begin
            aligned <= 1'b0;
            waiting <= 1'b0;
        end else if (block_done && !aligned && !waiting) begin
            waiting    <= 1'b1;
            wait_count <= 10'd512 >> base_mult;  // half the frame at 2 x MCLK
        end else if (waiting) begin
            wait_count <= wait_count - 10'd1;
            if (wait_count == 10'd0) begin
                waiting <= 1'b0;
                aligned <= 1'b1;
            end
        end
        if (rst || !engine_ready || setting_moved)
            flush <= FLUSH_FRAMES;
        else if (ch_valid && flushing)
            flush <= flush - 8'd1;
        filter_ready <= engine_ready && !flushing;
    end

    tone u_tone (
        .clk        (clk),
        .rst        (rst),
        .start      (tone_start),
        .inc        (tone_inc),
        .atten      (tone_atten),
        .sample     (tone_sample)
    );

    wire routed_valid, routed_first, routed_l, routed_r;
    route u_route (
        .clk        (clk),
        .in_left    (route_left),
        .in_valid   (route_frame),
        .in_sample  (route_sample),
        .in_silent  (route_silent),
        .mode       (path_route),
        .invert_l   (path_inv_l),
        .invert_r   (path_inv_r),
        .out_valid  (routed_valid),
        .out_first  (routed_first),
        .out_l      (routed_l),
        .out_r      (routed_r)
    );

    wire [23:0] ch_l, ch_r;
    channels u_channels (
        .clk        (clk),
        .in_valid   (routed_valid),
        .in_first   (routed_first),
        .in_l       (routed_l),
        .in_r       (routed_r),
        .mono       (path_topology == V_TOPOLOGY_MODE_MONO),
        .out_valid  (ch_valid),
        .l          (ch_l),
        .r          (ch_r)
    );

    // ---- the filter banks, the interpolation engine
    wire        coef_req, coef_we, coef_grant;
    wire [11:0] coef_addr;
    wire [31:0] coef_wdata, coef_rdata;
    filter_bank u_banks (
        .clk          (clk),
        .rst          (rst),
        .req          (flt_req),
        .op           (flt_op),
        .addr         (flt_addr),
        .wdata        (flt_wdata),
        .ack          (flt_ack),
        .resp         (flt_resp),
        .rdata        (flt_rdata),
        .coef_req     (coef_req),
        .coef_we      (coef_we),
        .coef_addr    (coef_addr),
        .coef_wdata   (coef_wdata),
        .coef_grant   (coef_grant),
        .coef_rdata   (coef_rdata),
        .engine_plays (filter_ready),
        .hold         (switch_hold),
        .gains_quiet  (gains_quiet),
        .short        (short),
        .live         (live_bank),
        .live_taps    (s1_taps)
    );

    wire        blk_we;
    wire [3:0]  blk_addr;
    wire [23:0] blk_data;
    interp u_interp (
        .clk        (clk),
        .rst        (rst),
        .ratio_log2 (out_ratio),
        .nos        (nos),
        .s1_bank    (s1_bank),
        .s1_taps    (s1_taps),
        .ready      (engine_ready),
        .coef_req   (coef_req),
        .coef_we    (coef_we),
        .coef_addr  (coef_addr),
        .coef_wdata (coef_wdata),
        .coef_grant (coef_grant),
        .coef_rdata (coef_rdata),
        .in_valid   (ch_valid),
        .in_l       (ch_l),
        .in_r       (ch_r),
        .out_we     (blk_we),
        .out_addr   (blk_addr),
        .out_data   (blk_data),
        .block_done (block_done),
        .overrun    (overrun)
    );

    // ---- the blocks to the lanes, the lanes to the transmitter
    wire        take_left, take_right, words_ready;
    wire [23:0] frame_l, frame_r, peek;
    wire        peek_right;
    wire        bits_we, zero_a, zero_b;
    wire [5:0]  bits_addr;
    wire [1:0]  bits_data;
    reg         out_silent;
    always @(posedge clk)
        out_silent <= !engine_ready || flushing;
    always @(posedge clk)
        silence <= out_silent                                  ? V_AUDIO_STATUS_SILENCE_STARTING :
                   path_source == V_AUDIO_SOURCE_SOURCE_SILENCE ? V_AUDIO_STATUS_SILENCE_NO_SOURCE :
                   !(play_input || play_tone)                  ? V_AUDIO_STATUS_SILENCE_NO_INPUT :
                   switch_hold || path_moved                   ? V_AUDIO_STATUS_SILENCE_CHANGING :
                   mute                                        ? V_AUDIO_STATUS_SILENCE_MUTED :
                   gains_quiet                                 ? V_AUDIO_STATUS_SILENCE_VOLUME :
                                                                 V_AUDIO_STATUS_SILENCE_PLAYING;
    frame_out u_frames (
        .clk         (clk),
        .rst         (rst),
        .in_we       (blk_we),
        .in_addr     (blk_addr),
        .in_data     (blk_data),
        .block_done  (block_done),
        .ratio_log2  (out_ratio),
        .silent      (out_silent),
        .align       (align),
        .take_right  (take_right),
        .block_start (block_start),
        .x_l         (frame_l),
        .x_r         (frame_r),
        .words_ready (words_ready),
        .peek_right  (peek_right),
        .peek        (peek)
    );

    wire [2:0]  g_addr;
    wire [15:0] g_data_l, g_data_r;
    wire [1:0]  sat_a, sat_b, word_code;
    lane_gain u_gains (
        .clk        (clk),
        .rst        (rst),
        .reg_we     (reg_we),
        .reg_addr   (reg_addr),
        .reg_data   (reg_data),
        .mute       (mute),
        .hold       (gains_hold),
        .topology   (path_topology),
        .word       (out_word),
        .slot24     (slot24),
        .dither     (dither),
        .start      (words_ready),
        .silent     (out_silent),
        .quiet      (gains_quiet),
        .g_addr     (g_addr),
        .g_data_l   (g_data_l),
        .g_data_r   (g_data_r),
        .peek       (peek),
        .peek_right (peek_right),
        .mtr_req    (mtr_req),
        .mtr_op     (mtr_op),
        .mtr_addr   (mtr_addr),
        .mtr_ack    (mtr_ack),
        .mtr_resp   (mtr_resp),
        .mtr_rdata  (mtr_rdata)
    );

    lane_out u_lanes (
        .clk         (clk),
        .rst         (rst),
        .x_l         (frame_l),
        .x_r         (frame_r),
        .start_plus  (words_ready),
        .start_minus (take_left),
        .silent      (out_silent),
        .g_addr      (g_addr),
        .g_data_l    (g_data_l),
        .g_data_r    (g_data_r),
        .bits_we     (bits_we),
        .bits_addr   (bits_addr),
        .bits_data   (bits_data),
        .sat_a       (sat_a),
        .sat_b       (sat_b),
        .zero_a      (zero_a),
        .zero_b      (zero_b),
        .word_code   (word_code)
    );

    i2s_tx #(
        .SYS_CLK_HZ (SYS_CLK_HZ)
    ) u_tx (
        .clk        (clk),
        .fam48      (fam48),
        .mult       (tx_mult),
        .slot24     (slot24),
        .restart    (tx_restart),
        .bits_we    (bits_we),
        .bits_addr  (bits_addr),
        .bits_data  (bits_data),
        .sat_a      (sat_a),
        .sat_b      (sat_b),
        .zero_a     (zero_a),
        .zero_b     (zero_b),
        .word_code  (word_code),
        .take_left  (take_left),
        .take_right (take_right),
        .bclk       (dac_bclk),
        .lrclk      (dac_lrclk),
        .dout_a     (dac_a_data),
        .dout_b     (dac_b_data)
    );

    // MCLK for the DACs: half the system clock, the master clock itself when the system clock
    // is made from one (512 fs at 48 kHz from 24.576 MHz)
    always @(posedge clk)
        dac_mclk <= !dac_mclk;

    /* verilator lint_off UNUSEDSIGNAL */
    wire unused = overrun ^ base_less1[0];  // overrun: never by construction (test_rtl_interp)
    /* verilator lint_on UNUSEDSIGNAL */
endmodule
