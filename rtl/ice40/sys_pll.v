// iCE40 PLL, crystal build: the 12 MHz crystal of the iCEBreaker to the system clock.
// 12 MHz * (DIVF+1) / 2^DIVQ = 12 * 66 / 16 = 49.5 MHz, the nearest to 49.152 (icepll).
`default_nettype none

module sys_pll (
    input  wire clk_in_pad,
    output wire clk_out,
    output wire lock
);
    /* verilator lint_off PINMISSING */
    SB_PLL40_PAD #(
        .FEEDBACK_PATH ("SIMPLE"),
        .DIVR          (4'b0000),
        .DIVF          (7'b1000001),
        .DIVQ          (3'b100),
        .FILTER_RANGE  (3'b001)
    ) pll (
        .PACKAGEPIN    (clk_in_pad),
        .PLLOUTGLOBAL  (clk_out),
        .LOCK          (lock),
        .RESETB        (1'b1),
        .BYPASS        (1'b0)
    );
    /* verilator lint_on PINMISSING */
endmodule
