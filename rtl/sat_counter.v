`default_nettype none

// A counter that stops at its maximum instead of wrapping.
module sat_counter #(
    parameter integer W = 16
) (
    input  wire         clk,
    input  wire         clear,
    input  wire         inc,
    output reg  [W-1:0] count
);
    always @(posedge clk)
        if (clear)
            count <= {W{1'b0}};
        else if (inc && count != {W{1'b1}})
            count <= count + 1'b1;
endmodule
