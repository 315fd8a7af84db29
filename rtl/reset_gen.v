// System reset: held while the PLL is unlocked and for SETTLE_CYCLES after it locks.
// The registers power up in reset (iCE40 flip-flops start at zero; so does rst_n here).
`default_nettype none

module reset_gen #(
    parameter integer SETTLE_CYCLES = 65536
) (
    input  wire clk,
    input  wire pll_lock,   // asynchronous
    output wire rst,
    output wire lock_sync
);
    localparam integer W = $clog2(SETTLE_CYCLES + 1);
    localparam [31:0]  LAST32 = SETTLE_CYCLES - 1;
    localparam [W-1:0] LAST   = LAST32[W-1:0];

    reg [1:0]   lock_meta = 2'b00;
    reg [W-1:0] settle    = {W{1'b0}};
    reg         rst_n     = 1'b0;

    always @(posedge clk) begin
        lock_meta <= {lock_meta[0], pll_lock};
        if (!lock_meta[1]) begin
            settle <= {W{1'b0}};
            rst_n  <= 1'b0;
        end else if (!rst_n) begin
            if (settle == LAST)
                rst_n <= 1'b1;
            settle <= settle + 1'b1;
        end
    end

    assign rst       = !rst_n;
    assign lock_sync = lock_meta[1];
endmodule
