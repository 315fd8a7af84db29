// Synchronous FIFO on block RAM with a valid/ready output stage.
// The RAM read is registered, so the output register is the RAM's own.
`default_nettype none

module stream_fifo #(
    parameter integer WIDTH      = 8,
    parameter integer DEPTH_LOG2 = 9
) (
    input  wire             clk,
    input  wire             rst,
    // in
    input  wire [WIDTH-1:0] in_data,
    input  wire             in_valid,
    output wire             in_ready,
    // out
    output reg  [WIDTH-1:0] out_data,
    output reg              out_valid,
    input  wire             out_ready
);
    (* no_rw_check *) reg [WIDTH-1:0] mem [0:(1 << DEPTH_LOG2) - 1];
    reg [DEPTH_LOG2:0] wr_ptr, rd_ptr;

    wire empty = (wr_ptr == rd_ptr);
    wire full  = (wr_ptr[DEPTH_LOG2-1:0] == rd_ptr[DEPTH_LOG2-1:0]) &&
                 (wr_ptr[DEPTH_LOG2] != rd_ptr[DEPTH_LOG2]);
    wire pop   = (!out_valid || out_ready) && !empty;

    assign in_ready = !full;

    always @(posedge clk) begin
        if (in_valid && !full)
            mem[wr_ptr[DEPTH_LOG2-1:0]] <= in_data;
        if (pop)
            out_data <= mem[rd_ptr[DEPTH_LOG2-1:0]];
    end

    always @(posedge clk) begin
        if (rst) begin
            wr_ptr    <= {(DEPTH_LOG2 + 1){1'b0}};
            rd_ptr    <= {(DEPTH_LOG2 + 1){1'b0}};
            out_valid <= 1'b0;
        end else begin
            if (in_valid && !full)
                wr_ptr <= wr_ptr + 1'b1;
            if (pop) begin
                rd_ptr    <= rd_ptr + 1'b1;
                out_valid <= 1'b1;
            end else if (out_ready) begin
                out_valid <= 1'b0;
            end
        end
    end
endmodule
