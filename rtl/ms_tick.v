// The one millisecond strobe that uptime, the link timeout, the LEDs and the datapath settling
// all count, so that none of them needs a wide counter of its own.
`default_nettype none
`include "regmap_defs.vh"

module ms_tick #(
    parameter integer SYS_CLK_HZ = `BAL_SYSCLK_EXACT_HZ
) (
    input  wire clk,
    input  wire rst,
    output reg  tick
);
    localparam integer DIV = SYS_CLK_HZ / 1000;
    localparam integer W   = $clog2(DIV);
    localparam [31:0]  LAST32 = DIV - 2;  // the count runs DIV-2 .. -1: DIV cycles a tick
    localparam [W:0]   LAST   = LAST32[W:0];

    reg [W:0] count;  // the top bit is the borrow: set for one cycle a millisecond
    always @(posedge clk) begin
        tick <= count[W];
        if (rst || count[W])
            count <= LAST;
        else
            count <= count - 1'b1;
    end
endmodule
