// iCEBreaker v1.0 top level: pins, PLL, reset. Everything else is in balanced_core. The PLL
// makes the system clock from the crystal (rtl/ice40/sys_pll.v) or, built with CLOCK=mclk,
// from the audio master clock (rtl/ice40/sys_pll_mclk.v).
`default_nettype none
`include "regmap_defs.vh"

module balanced_top #(
    parameter integer SYS_CLK_HZ    = `BAL_SYSCLK_CRYSTAL_HZ,  // the PLL's, from the crystal
    parameter integer CLK_EXACT     = 0,
    parameter integer BAUD          = `BAL_BAUD,
    parameter integer SETTLE_CYCLES = 65536,
    parameter [31:0]  BUILD_HASH    = 32'h0
) (
`ifdef CLOCK_MCLK
    input  wire mclk_in,    // pin 44 (PMOD1A 10): the audio master clock (make CLOCK=mclk)
`else
    input  wire clk_12m,    // pin 35 (the PLL's own pad: a master-clock build leaves it free)
`endif
    // FT2232H interface B
    input  wire uart_rx,    // pin 6
    output wire uart_tx,    // pin 9
    // I2S input, PMOD1A
    input  wire i2s_bclk,   // pin 4
    input  wire i2s_lrclk,  // pin 2
    input  wire i2s_data,   // pin 47
    // two stereo DACs, PMOD1B: A carries L+ and L-, B carries R+ and R-
    output wire dac_mclk,   // pin 43
    output wire dac_bclk,   // pin 38
    output wire dac_lrclk,  // pin 34
    output wire dac_a_data, // pin 31
    output wire dac_b_data, // pin 42
    // LEDs, active low
    output wire led_r_n,    // pin 11
    output wire led_g_n     // pin 37
);
    wire clk, pll_lock, rst, lock_sync;

    sys_pll u_pll (
`ifdef CLOCK_MCLK
        .mclk_pad   (mclk_in),
`else
        .clk_in_pad (clk_12m),
`endif
        .clk_out    (clk),
        .lock       (pll_lock)
    );

    reset_gen #(
        .SETTLE_CYCLES (SETTLE_CYCLES)
    ) u_reset (
        .clk       (clk),
        .pll_lock  (pll_lock),
        .rst       (rst),
        .lock_sync (lock_sync)
    );

    wire led_ready, led_error;
    balanced_core #(
        .SYS_CLK_HZ (SYS_CLK_HZ),
        .BAUD       (BAUD),
        .BUILD_HASH (BUILD_HASH),
        .CLK_EXACT  (CLK_EXACT)
    ) u_core (
        .clk        (clk),
        .rst        (rst),
        .pll_lock   (lock_sync),
        .uart_rx    (uart_rx),
        .uart_tx    (uart_tx),
        .i2s_bclk   (i2s_bclk),
        .i2s_lrclk  (i2s_lrclk),
        .i2s_data   (i2s_data),
        .dac_mclk   (dac_mclk),
        .dac_bclk   (dac_bclk),
        .dac_lrclk  (dac_lrclk),
        .dac_a_data (dac_a_data),
        .dac_b_data (dac_b_data),
        .led_ready  (led_ready),
        .led_error  (led_error)
    );

    assign led_r_n = !led_error;
    assign led_g_n = !led_ready;
endmodule
