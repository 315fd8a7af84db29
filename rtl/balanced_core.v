// Everything behind the pins and the PLL: the control link (UART, framing, executor) and the
// register file. One system clock; every rate below it is a strobe.
`default_nettype none

module balanced_core #(
    parameter integer SYS_CLK_HZ = 49152000,
    parameter integer BAUD       = 3000000,
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
    // status LEDs, active high here
    output wire led_ready,
    output wire led_error
);
    `include "regmap.vh"

    localparam integer MAX_WORDS = BAL_MAX_WORDS;
    localparam integer WORD_AW   = $clog2(MAX_WORDS);
    localparam integer LEN_W     = $clog2(8 + 4 * MAX_WORDS + 1);

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
        .TIMEOUT_CYCLES (SYS_CLK_HZ / 1000 * TIMEOUT_MS),
        .LEN_W          (LEN_W),
        .WORD_AW        (WORD_AW)
    ) u_link_rx (
        .clk            (clk),
        .rst            (rst),
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

    wire [15:0] bus_addr;
    wire [31:0] bus_wdata, bus_rdata;
    wire        bus_we, bus_rd_ok, bus_wr_ok, bus_value_ok;
    wire [7:0]  resp_data;
    wire        resp_valid, resp_last, resp_ack;
    wire        ev_frame_ok, ev_crc_err, ev_duplicate;
    link_exec #(
        .MAX_WORDS      (MAX_WORDS),
        .LEN_W          (LEN_W),
        .WORD_AW        (WORD_AW)
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
        .bus_addr       (bus_addr),
        .bus_wdata      (bus_wdata),
        .bus_we         (bus_we),
        .bus_rdata      (bus_rdata),
        .bus_rd_ok      (bus_rd_ok),
        .bus_wr_ok      (bus_wr_ok),
        .bus_value_ok   (bus_value_ok),
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

    // ---- link events, registered once here: counters and LEDs hang off flip-flops
    reg ev_frame_ok_q, ev_crc_err_q, ev_frame_err_q, ev_uart_err_q, ev_overrun_q, ev_timeout_q,
        ev_duplicate_q, ev_any_err_q;
    always @(posedge clk) begin
        ev_frame_ok_q  <= ev_frame_ok;
        ev_crc_err_q   <= ev_crc_err;
        ev_frame_err_q <= ev_frame_err;
        ev_uart_err_q  <= rx_frame_err;
        ev_overrun_q   <= rx_overrun;
        ev_timeout_q   <= ev_timeout;
        ev_duplicate_q <= ev_duplicate;
        ev_any_err_q   <= ev_crc_err_q || ev_frame_err_q || ev_uart_err_q || ev_overrun_q ||
                          ev_timeout_q;
    end

    // ---- registers
    wire ctrl_mute, soft_reset, dsp_ready;
    regfile #(
        .SYS_CLK_HZ   (SYS_CLK_HZ),
        .BUILD_HASH   (BUILD_HASH),
        .CLK_EXACT    (CLK_EXACT)
    ) u_regfile (
        .clk          (clk),
        .rst          (rst),
        .bus_addr     (bus_addr),
        .bus_wdata    (bus_wdata),
        .bus_we       (bus_we),
        .bus_rdata    (bus_rdata),
        .bus_rd_ok    (bus_rd_ok),
        .bus_wr_ok    (bus_wr_ok),
        .bus_value_ok (bus_value_ok),
        .pll_lock     (pll_lock),
        .dsp_ready    (dsp_ready),
        .ev_frame_ok  (ev_frame_ok_q),
        .ev_crc_err   (ev_crc_err_q),
        .ev_frame_err (ev_frame_err_q),
        .ev_uart_err  (ev_uart_err_q),
        .ev_overrun   (ev_overrun_q),
        .ev_timeout   (ev_timeout_q),
        .ev_duplicate (ev_duplicate_q),
        .ctrl_mute    (ctrl_mute),
        .soft_reset   (soft_reset)
    );

    // ---- datapath reset: after a system or soft reset the datapath settles before it plays
    localparam integer SETTLE_W = 10;
    reg [SETTLE_W:0] dsp_settle;
    always @(posedge clk)
        if (rst || soft_reset)
            dsp_settle <= {(SETTLE_W + 1){1'b0}};
        else if (!dsp_settle[SETTLE_W])
            dsp_settle <= dsp_settle + 1'b1;
    assign dsp_ready = dsp_settle[SETTLE_W];

    // ---- LEDs: green while ready (dark for a moment at each frame), red for link errors
    localparam integer BLINK_W = $clog2(SYS_CLK_HZ / 20);  // about 50 ms
    reg [BLINK_W:0] err_blink, act_blink;
    always @(posedge clk) begin
        if (rst) begin
            err_blink <= {(BLINK_W + 1){1'b0}};
            act_blink <= {(BLINK_W + 1){1'b0}};
        end else begin
            if (ev_any_err_q)
                err_blink <= {1'b1, {BLINK_W{1'b0}}};
            else if (err_blink != 0)
                err_blink <= err_blink + 1'b1;
            if (ev_frame_ok_q)
                act_blink <= {1'b1, {BLINK_W{1'b0}}};
            else if (act_blink != 0)
                act_blink <= act_blink + 1'b1;
        end
    end
    reg led_error_q, led_ready_q;
    always @(posedge clk) begin
        led_error_q <= err_blink[BLINK_W];
        led_ready_q <= dsp_ready && !act_blink[BLINK_W] && !ctrl_mute;
    end
    assign led_error = led_error_q;
    assign led_ready = led_ready_q;
endmodule
