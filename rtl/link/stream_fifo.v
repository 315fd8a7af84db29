// Synchronous FIFO on block RAM with a valid/ready output stage.
// The RAM read is registered, so the output register is the RAM's own. Timing: in_ready is a
// flip-flop judged a cycle early from the fill level (so the FIFO holds a few words fewer than
// the RAM), and each pointer keeps its successor ready, so a push or a pop only selects; a
// pop waits a cycle after the last (at most a word every second cycle).
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
    localparam integer AW = DEPTH_LOG2 + 1;
    // in_ready is judged from a fill level two cycles old: it says yes below ROOM words
    localparam [AW-1:0] ROOM = (1 << DEPTH_LOG2) - 4;

    (* no_rw_check *) reg [WIDTH-1:0] mem [0:(1 << DEPTH_LOG2) - 1];
    reg [AW-1:0] wr_ptr, rd_ptr, wr_next, rd_next, used;
    reg          ready_q;

    // empty, registered from the pointers alone, so it lags a pop by a cycle: a pop waits a
    // cycle after the last one (pop_q), and pop is one LUT of three flip-flops beside the RAM:
    // held, out_valid's copy, so that neither out_valid (at the consumer) nor out_ready (from
    // it) is in pop's loop; a word is popped the cycle after the last was taken. One word every
    // second or third cycle: the UART brings one every ~160.
    reg  empty, pop_q, held;
    wire push = in_valid && ready_q;
    wire pop  = !held && !empty && !pop_q;

    assign in_ready = ready_q;

    always @(posedge clk) begin
        if (push)
            mem[wr_ptr[DEPTH_LOG2-1:0]] <= in_data;
        if (pop)
            out_data <= mem[rd_ptr[DEPTH_LOG2-1:0]];
    end

    always @(posedge clk) begin
        if (rst) begin
            wr_ptr    <= {AW{1'b0}};
            rd_ptr    <= {AW{1'b0}};
            wr_next   <= {{(AW - 1){1'b0}}, 1'b1};
            rd_next   <= {{(AW - 1){1'b0}}, 1'b1};
            used      <= {AW{1'b0}};
            ready_q   <= 1'b0;
            out_valid <= 1'b0;
            held      <= 1'b0;
            empty     <= 1'b1;
            pop_q     <= 1'b0;
        end else begin
            empty   <= wr_ptr == rd_ptr;
            pop_q   <= pop;
            used    <= wr_ptr - rd_ptr;
            ready_q <= used < ROOM;
            if (push) begin
                wr_ptr  <= wr_next;
                wr_next <= wr_next + 1'b1;
            end
            if (pop) begin
                rd_ptr    <= rd_next;
                rd_next   <= rd_next + 1'b1;
                out_valid <= 1'b1;
                held      <= 1'b1;
            end else if (out_ready) begin
                out_valid <= 1'b0;
                held      <= 1'b0;
            end
        end
    end
endmodule
