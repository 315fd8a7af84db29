// iCE40 PLL, master-clock build (make CLOCK=mclk): the system clock is twice the audio master
// clock on the MCLK pin, so every audio rate is exact: 24.576 MHz -> 49.152 MHz (48 kHz
// family), 22.5792 MHz -> 45.1584 MHz (44.1 kHz family). Fvco = MCLK * (DIVF+1) = 786 or
// 723 MHz, / 2^DIVQ = 16 (icepll). Pin 35 (the crystal) must stay free: the PLL sits on its
// pad's site, so the top level has no crystal input in this build.
`default_nettype none

module sys_pll (
    input  wire mclk_pad,
    output wire clk_out,
    output wire lock
);
    /* verilator lint_off PINMISSING */
    SB_PLL40_CORE #(
        .FEEDBACK_PATH ("SIMPLE"),
        .DIVR          (4'b0000),
        .DIVF          (7'b0011111),
        .DIVQ          (3'b100),
        .FILTER_RANGE  (3'b010)
    ) pll (
        .REFERENCECLK  (mclk_pad),
        .PLLOUTGLOBAL  (clk_out),
        .LOCK          (lock),
        .RESETB        (1'b1),
        .BYPASS        (1'b0)
    );
    /* verilator lint_on PINMISSING */
endmodule
