// Everything behind the pins and the PLL: the control link (UART, framing, executor), the
// register bus with its decoder and targets, and the shared millisecond tick. One system clock;
// every rate below it is a strobe. The audio path (rtl/audio/) plugs in as more bus targets.
`default_nettype none
`include "regmap_defs.vh"

module balanced_core #(
    parameter integer SYS_CLK_HZ = `BAL_SYSCLK_EXACT_HZ,
    parameter integer BAUD       = `BAL_BAUD,
    parameter integer TIMEOUT_MS = 2,
    parameter [31:0]  BUILD_HASH = 32'h0,
    parameter integer CLK_EXACT  = 1
) (
    input  wire clk,
    input  wire rst,
    input  wire pll_lock,
    // control UART (FT2232H interface B)
    input  wire uart_rx,
    output wire uart_tx,
    // I2S input from the source (asynchronous)
    input  wire i2s_bclk,
    input  wire i2s_lrclk,
    input  wire i2s_data,
    // the two DACs: A carries L+ and L-, B carries R+ and R-
    output wire dac_mclk,
    output wire dac_bclk,
    output wire dac_lrclk,
    output wire dac_a_data,
    output wire dac_b_data,
    // status LEDs, active high here
    output wire led_ready,
    output wire led_error
);
    `include "regmap.vh"

    localparam integer MAX_WORDS = BAL_MAX_WORDS;
    localparam integer WORD_AW   = $clog2(MAX_WORDS);
    localparam integer LEN_W     = $clog2(8 + 4 * MAX_WORDS + 1);

    wire ms;
    ms_tick #(
        .SYS_CLK_HZ (SYS_CLK_HZ)
    ) u_ms (
        .clk  (clk),
        .rst  (rst),
        .tick (ms)
    );

    // ---- UART receive into a FIFO, so a frame held for execution never loses bytes
    wire [7:0] rx_byte;
    wire       rx_valid, rx_frame_err;
    uart_rx #(
        .SYS_CLK_HZ (SYS_CLK_HZ),
        .BAUD       (BAUD)
    ) u_uart_rx (
        .clk        (clk),
        .rst        (rst),
        .rx         (uart_rx),
        .data       (rx_byte),
        .valid      (rx_valid),
        .frame_err  (rx_frame_err)
    );

    wire [7:0] fifo_byte;
    wire       fifo_valid, fifo_ready, fifo_in_ready;
    stream_fifo #(
        .WIDTH      (8),
        .DEPTH_LOG2 (9)
    ) u_rx_fifo (
        .clk        (clk),
        .rst        (rst),
        .in_data    (rx_byte),
        .in_valid   (rx_valid),
        .in_ready   (fifo_in_ready),
        .out_data   (fifo_byte),
        .out_valid  (fifo_valid),
        .out_ready  (fifo_ready)
    );
    wire rx_overrun = rx_valid && !fifo_in_ready;

    // ---- frames
    wire                frame_valid, frame_release, f_crc_ok;
    wire [7:0]          f_seq, f_op;
    wire [15:0]         f_addr, f_count, f_crc;
    wire [LEN_W-1:0]    f_len;
    wire [WORD_AW-1:0]  buf_raddr;
    wire [31:0]         buf_rdata;
    wire                ev_frame_err, ev_timeout;
    link_rx #(
        .MAX_WORDS      (MAX_WORDS),
        .TIMEOUT_MS     (TIMEOUT_MS)
    ) u_link_rx (
        .clk            (clk),
        .rst            (rst),
        .ms_tick        (ms),
        .in_data        (fifo_byte),
        .in_valid       (fifo_valid),
        .in_ready       (fifo_ready),
        .frame_valid    (frame_valid),
        .frame_release  (frame_release),
        .f_seq          (f_seq),
        .f_op           (f_op),
        .f_addr         (f_addr),
        .f_count        (f_count),
        .f_crc          (f_crc),
        .f_crc_ok       (f_crc_ok),
        .f_len          (f_len),
        .buf_raddr      (buf_raddr),
        .buf_rdata      (buf_rdata),
        .ev_frame_err   (ev_frame_err),
        .ev_timeout     (ev_timeout)
    );

    // register bus, master side
    wire        m_req, m_ack;
    wire [1:0]  m_op, m_resp;
    wire [15:0] m_addr;
    wire [31:0] m_wdata, m_rdata;
    wire [7:0]  resp_data;
    wire        resp_valid, resp_last, resp_ack;
    wire        ev_frame_ok, ev_crc_err, ev_duplicate;
    link_exec #(
        .MAX_WORDS      (MAX_WORDS)
    ) u_link_exec (
        .clk            (clk),
        .rst            (rst),
        .frame_valid    (frame_valid),
        .frame_release  (frame_release),
        .f_seq          (f_seq),
        .f_op           (f_op),
        .f_addr         (f_addr),
        .f_count        (f_count),
        .f_crc          (f_crc),
        .f_crc_ok       (f_crc_ok),
        .f_len          (f_len),
        .buf_raddr      (buf_raddr),
        .buf_rdata      (buf_rdata),
        .bus_req        (m_req),
        .bus_op         (m_op),
        .bus_addr       (m_addr),
        .bus_wdata      (m_wdata),
        .bus_ack        (m_ack),
        .bus_resp       (m_resp),
        .bus_rdata      (m_rdata),
        .out_data       (resp_data),
        .out_valid      (resp_valid),
        .out_last       (resp_last),
        .out_ack        (resp_ack),
        .ev_frame_ok    (ev_frame_ok),
        .ev_crc_err     (ev_crc_err),
        .ev_duplicate   (ev_duplicate)
    );

    wire [7:0] tx_byte;
    wire       tx_valid, tx_ready;
    link_tx u_link_tx (
        .clk        (clk),
        .rst        (rst),
        .in_data    (resp_data),
        .in_valid   (resp_valid),
        .in_last    (resp_last),
        .in_ack     (resp_ack),
        .out_data   (tx_byte),
        .out_valid  (tx_valid),
        .out_ready  (tx_ready)
    );

    uart_tx #(
        .SYS_CLK_HZ (SYS_CLK_HZ),
        .BAUD       (BAUD)
    ) u_uart_tx (
        .clk        (clk),
        .rst        (rst),
        .data       (tx_byte),
        .valid      (tx_valid),
        .ready      (tx_ready),
        .tx         (uart_tx)
    );

    // ---- register bus: decoder and targets. 0: system, link and audio registers; 1: scratch;
    // 2: the filter banks, their window and registers; 3: the meters.
    localparam integer NT = 4;
    localparam [15:0] SYS_BASE = REG_ID;
    localparam [15:0] SCR_BASE = BLK_SCRATCH_RAM_BASE;
    localparam [15:0] FLT_BASE = BLK_FILTER_COEFS_BASE;  // to FILTER_INFO and the FILTER_ registers
    localparam [15:0] MTR_BASE = REG_PEAK_LP;            // PEAK_* and CLIPS_*: eight words
    localparam [4:0]  MTR_AW   = 5'd3;
    localparam [4:0]  SYS_AW   = 5'd6;
    localparam [4:0]  FLT_AW   = 5'd12;
    localparam integer SCR_AW  = $clog2(BLK_SCRATCH_RAM_SIZE);
    localparam [4:0]  SCR_AW5  = SCR_AW[4:0];
    wire [NT-1:0]    t_req, t_ack;
    wire [NT*2-1:0]  t_resp;
    wire [NT*32-1:0] t_rdata;
    reg_decoder #(
        .NT       (NT),
        .T_BASE   ({MTR_BASE, FLT_BASE, SCR_BASE, SYS_BASE}),
        .T_AW     ({MTR_AW, FLT_AW, SCR_AW5, SYS_AW}),
        .T_GATED  (4'b0100)  // filter_bank
    ) u_decoder (
        .clk      (clk),
        .rst      (rst),
        .m_req    (m_req),
        .m_addr   (m_addr),
        .m_ack    (m_ack),
        .m_resp   (m_resp),
        .m_rdata  (m_rdata),
        .t_req    (t_req),
        .t_ack    (t_ack),
        .t_resp   (t_resp),
        .t_rdata  (t_rdata)
    );

    // each target sees the address bits of its own window (the filter banks' target all 16)
    assign t_rdata[127:112] = 16'd0;  // the meters' words are 16 bits

    // link events, registered once here: counters and LEDs hang off flip-flops
    reg [6:0] ev_q;  // LINK_FRAMES .. LINK_DUPLICATES
    reg       ev_any_err_q;
    always @(posedge clk) begin
        ev_q         <= {ev_duplicate, ev_timeout, rx_overrun, rx_frame_err, ev_frame_err,
                         ev_crc_err, ev_frame_ok};
        ev_any_err_q <= ev_crc_err || ev_frame_err || rx_frame_err || rx_overrun || ev_timeout;
    end

    wire ctrl_mute, soft_reset, dsp_ready;
    // the audio settings (in sys_regs' flip-flops) and the status they show
    wire [1:0] aud_source, aud_topology, aud_in_slot, aud_ratio, aud_out_ratio;
    wire [2:0] aud_route, aud_in_rate, aud_out_rate;
    wire       aud_inv_l, aud_inv_r, aud_slot24, aud_locked, aud_nos, aud_filter_ready;
    wire [2:0] aud_silence;
    wire [1:0] aud_word;
    wire       aud_dither, mirror_we;
    wire [5:0] mirror_addr;
    wire [15:0] mirror_data;
    wire [31:0] aud_tone_inc;
    wire [7:0]  aud_tone_atten;
    sys_regs #(
        .SYS_CLK_HZ   (SYS_CLK_HZ),
        .BUILD_HASH   (BUILD_HASH),
        .CLK_EXACT    (CLK_EXACT)
    ) u_sys_regs (
        .clk          (clk),
        .rst          (rst),
        .ms_tick      (ms),
        .req          (t_req[0]),
        .op           (m_op),
        .addr         (m_addr[5:0]),
        .wdata        (m_wdata),
        .ack          (t_ack[0]),
        .resp         (t_resp[1:0]),
        .rdata        (t_rdata[31:0]),
        .pll_lock     (pll_lock),
        .dsp_ready    (dsp_ready),
        .ev           (ev_q),
        .ctrl_mute    (ctrl_mute),
        .soft_reset   (soft_reset),
        .source       (aud_source),
        .route_mode   (aud_route),
        .invert_l     (aud_inv_l),
        .invert_r     (aud_inv_r),
        .topology     (aud_topology),
        .slot24       (aud_slot24),
        .out_word     (aud_word),
        .dither       (aud_dither),
        .mirror_we    (mirror_we),
        .mirror_addr  (mirror_addr),
        .mirror_data  (mirror_data),
        .tone_inc     (aud_tone_inc),
        .tone_atten   (aud_tone_atten),
        .ratio        (aud_ratio),
        .nos          (aud_nos),
        .in_rate      (aud_in_rate),
        .in_locked    (aud_locked),
        .in_slot      (aud_in_slot),
        .out_rate     (aud_out_rate),
        .out_ratio    (aud_out_ratio),
        .filter_ready (aud_filter_ready),
        .silence      (aud_silence)
    );

    scratch_ram #(
        .WORDS  (BLK_SCRATCH_RAM_SIZE)
    ) u_scratch (
        .clk    (clk),
        .req    (t_req[1]),
        .op     (m_op),
        .addr   (m_addr[SCR_AW-1:0]),
        .wdata  (m_wdata),
        .ack    (t_ack[1]),
        .resp   (t_resp[3:2]),
        .rdata  (t_rdata[63:32])
    );

    // ---- the audio path
    // the datapath's reset, registered: it fans out across the audio path
    reg audio_rst;
    always @(posedge clk)
        audio_rst <= rst || soft_reset;

    audio_path #(
        .SYS_CLK_HZ   (SYS_CLK_HZ)
    ) u_audio (
        .clk          (clk),
        .rst          (audio_rst),
        .mute         (ctrl_mute),
        .ready        (dsp_ready),
        .source       (aud_source),
        .route_mode   (aud_route),
        .invert_l     (aud_inv_l),
        .invert_r     (aud_inv_r),
        .topology     (aud_topology),
        .slot24       (aud_slot24),
        .out_word     (aud_word),
        .dither       (aud_dither),
        .reg_we       (mirror_we),
        .reg_addr     (mirror_addr),
        .reg_data     (mirror_data),
        .tone_inc     (aud_tone_inc),
        .tone_atten   (aud_tone_atten),
        .ratio        (aud_ratio),
        .nos          (aud_nos),
        .in_rate      (aud_in_rate),
        .in_locked    (aud_locked),
        .in_slot      (aud_in_slot),
        .out_rate     (aud_out_rate),
        .out_ratio    (aud_out_ratio),
        .filter_ready (aud_filter_ready),
        .silence      (aud_silence),
        .flt_req      (t_req[2]),
        .flt_op       (m_op),
        .flt_addr     (m_addr[11:0]),
        .flt_wdata    (m_wdata),
        .flt_ack      (t_ack[2]),
        .flt_resp     (t_resp[5:4]),
        .flt_rdata    (t_rdata[95:64]),
        .mtr_req      (t_req[3]),
        .mtr_op       (m_op),
        .mtr_addr     (m_addr[2:0]),
        .mtr_ack      (t_ack[3]),
        .mtr_resp     (t_resp[7:6]),
        .mtr_rdata    (t_rdata[111:96]),
        .i2s_bclk     (i2s_bclk),
        .i2s_lrclk    (i2s_lrclk),
        .i2s_data     (i2s_data),
        .dac_mclk     (dac_mclk),
        .dac_bclk     (dac_bclk),
        .dac_lrclk    (dac_lrclk),
        .dac_a_data   (dac_a_data),
        .dac_b_data   (dac_b_data)
    );

    // ---- datapath reset: after a system or soft reset the datapath settles (2-3 ms) first
    reg [1:0] settle;
    always @(posedge clk)
        if (rst || soft_reset)
            settle <= 2'd0;
        else if (ms && settle != 2'd3)
            settle <= settle + 2'd1;
    assign dsp_ready = settle == 2'd3;

    // ---- LEDs: green while ready (dark for ~50 ms at each frame), red ~50 ms at link errors
    reg [5:0] err_ms, act_ms;  // milliseconds of blink left
    always @(posedge clk) begin
        if (rst) begin
            err_ms <= 6'd0;
            act_ms <= 6'd0;
        end else begin
            if (ev_any_err_q)
                err_ms <= 6'd50;
            else if (ms && err_ms != 6'd0)
                err_ms <= err_ms - 6'd1;
            if (ev_q[0])
                act_ms <= 6'd50;
            else if (ms && act_ms != 6'd0)
                act_ms <= act_ms - 6'd1;
        end
    end
    reg led_error_q, led_ready_q;
    always @(posedge clk) begin
        led_error_q <= err_ms != 6'd0;
        led_ready_q <= dsp_ready && act_ms == 6'd0 && !ctrl_mute;
    end
    assign led_error = led_error_q;
    assign led_ready = led_ready_q;
endmodule
