// Simulation stand-in for rtl/ice40/sys_pll.v: the testbench drives the system clock itself
// (exactly 49.152 MHz in simulated time); lock rises after LOCK_CYCLES input cycles.
`default_nettype none

module sys_pll #(
    parameter integer LOCK_CYCLES = 100
) (
    input  wire clk_in_pad,
    output wire clk_out,
    output reg  lock
);
    reg [7:0] count = 8'd0;
    initial lock = 1'b0;

    assign clk_out = clk_in_pad;

    always @(posedge clk_in_pad)
        if (count == LOCK_CYCLES[7:0])
            lock <= 1'b1;
        else
            count <= count + 8'd1;
endmodule
