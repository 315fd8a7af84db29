// The audio datapath from the I2S input pins to the two DACs' pins:
//
//   i2s_rx (or tone) -> route -> [interpolation engine, lane gains: issues 14 and on;
//   a pass-through today] -> lanes (topology, saturation) -> i2s_tx
//
// Frames move as one-cycle strobes with their samples held until the next (docs/buses.md).
// The transmitter is the master of output timing: it runs at the input's rate while the
// input is locked, aligned so that it takes each frame half a frame after it arrived (a
// frame is taken exactly once while the input and the system clock share a master clock;
// from the crystal a frame is now and then repeated or skipped), and at 48 kHz otherwise (the
// tone is made at that rate, a sample for each frame taken).
// Whenever no locked input is playing (source silence, input lost, muted, datapath settling),
// each frame the transmitter takes asks for the next, silent, one.
`default_nettype none

module audio_path #(
    parameter integer SYS_CLK_HZ = 49152000
) (
    input  wire        clk,
    input  wire        rst,
    input  wire        mute,       // CTRL.MUTE
    input  wire        ready,      // datapath out of reset and settled
    // settings
    input  wire [1:0]  source,     // AUDIO_SOURCE.SOURCE
    input  wire [2:0]  route_mode,
    input  wire        invert_l,
    input  wire        invert_r,
    input  wire [1:0]  topology,
    input  wire        slot24,
    input  wire [31:0] tone_inc,
    input  wire [7:0]  tone_atten,
    // status
    output wire [2:0]  in_rate,
    output wire        in_locked,
    output wire [1:0]  in_slot,
    output reg  [2:0]  out_rate,
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

    // ---- which frames play, and the output's rate and alignment: decisions registered, so
    // the strobes that fan out into the route and transmitter come from flip-flops
    wire        frame_take;
    wire [23:0] tone_sample;
    reg  play_input;  // the source is the input, and it is locked
    reg  play_tone;
    reg  aligned;     // the transmitter has been aligned to the input
    reg  align, route_left, route_frame, route_silent, tone_start;
    always @(posedge clk) begin
        play_input   <= source == V_AUDIO_SOURCE_SOURCE_I2S && in_locked && !rst;
        play_tone    <= source == V_AUDIO_SOURCE_SOURCE_TONE;
        align        <= play_input && rx_valid && !aligned;
        // the tone's sample goes in as both channels when a frame is taken
        route_left   <= play_input ? rx_left : frame_take;
        route_frame  <= play_input ? rx_valid : frame_take;
        route_silent <= !(play_input || play_tone) || mute || !ready;
        tone_start   <= route_frame && play_tone;  // the next sample, once route has this one
        if (rst || !play_input)
            aligned <= 1'b0;
        else if (rx_valid)
            aligned <= 1'b1;
        if (rst || source != V_AUDIO_SOURCE_SOURCE_I2S)
            out_rate <= RATE_48K;
        else if (in_locked)
            out_rate <= in_rate;
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
        .in_sample  (play_tone ? tone_sample : rx_sample),
        .in_silent  (route_silent),
        .mode       (route_mode),
        .invert_l   (invert_l),
        .invert_r   (invert_r),
        .out_valid  (routed_valid),
        .out_first  (routed_first),
        .out_l      (routed_l),
        .out_r      (routed_r)
    );

    // ---- the interpolation engine and the lane gains go here (issues 14 and 17): today the
    // routed frame passes straight on to the topology.

    wire [23:0] lane_lp, lane_ln, lane_rp, lane_rn;
    lanes u_lanes (
        .clk        (clk),
        .in_valid   (routed_valid),
        .in_first   (routed_first),
        .in_l       (routed_l),
        .in_r       (routed_r),
        .topology   (topology),
        .lp         (lane_lp),
        .ln         (lane_ln),
        .rp         (lane_rp),
        .rn         (lane_rn)
    );

    i2s_tx #(
        .SYS_CLK_HZ (SYS_CLK_HZ)
    ) u_tx (
        .clk        (clk),
        .rst        (rst),
        .rate       (out_rate),
        .slot24     (slot24),
        .align      (align),
        .lp         (lane_lp),
        .ln         (lane_ln),
        .rp         (lane_rp),
        .rn         (lane_rn),
        .frame_take (frame_take),
        .bclk       (dac_bclk),
        .lrclk      (dac_lrclk),
        .dout_a     (dac_a_data),
        .dout_b     (dac_b_data)
    );

    // MCLK for the DACs: half the system clock, the master clock itself when the system clock
    // is made from one (512 fs at 48 kHz from 24.576 MHz)
    always @(posedge clk)
        dac_mclk <= !dac_mclk;
endmodule
