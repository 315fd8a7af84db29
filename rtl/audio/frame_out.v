// Between the interpolation engine and the transmitter: the output blocks, double-buffered,
// and the topology.
//
// The engine writes each input frame's block (2^ratio_log2 output frames, L and R) into one
// half of a 32-word block RAM and raises block_done; that half becomes the newest. The
// transmitter takes a slot's two words at a time. After it takes the right slot's, the next
// frame's L and R are fetched (the next of the block being played, or after the block's last
// frame the first of the newest block: block_start, the next input frame is due, for the
// sources made inside); they are the left slot's words, L+ and R+. After it takes those, the
// same two registers become the right slot's, L- and R-, as the topology says: negated
// (balanced; mono-bridged, where the engine carried the mean on both channels), zero
// (single-ended) or kept (parallel). The words were saturated to +-(2^23 - 1), so -L exists.
`default_nettype none

module frame_out (
    input  wire        clk,
    input  wire        rst,
    // the engine's blocks
    input  wire        in_we,
    input  wire [3:0]  in_addr,      // {frame, channel}
    input  wire [23:0] in_data,
    input  wire        block_done,
    // settings
    input  wire [1:0]  ratio_log2,   // frames in a block: 2^ratio_log2
    input  wire [1:0]  topology,     // 0 balanced, 1 single-ended, 2 parallel, 3 mono-bridged
    input  wire        silent,       // fetch zeros
    input  wire        align,        // strobe: the transmitter restarts; play the newest block
    // the transmitter
    input  wire        take_left,
    input  wire        take_right,
    output reg         block_start,
    output reg  [23:0] word_a,       // L+, then L-
    output reg  [23:0] word_b        // R+, then R-
);
    localparam [1:0] TOPO_SE = 2'd1, TOPO_PARALLEL = 2'd2;

    // ---- the blocks
    reg [23:0] buffer [0:31];
    reg        write_half, newest_half;
    always @(posedge clk) begin
        if (in_we)
            buffer[{write_half, in_addr}] <= in_data;
        if (rst) begin
            write_half  <= 1'b0;
            newest_half <= 1'b1;
        end else if (block_done) begin
            write_half  <= !write_half;
            newest_half <= write_half;
        end
    end

    // ---- the frame to come: its index in the block, fetched after a right slot's take (or an
    // align): 1 reads L, 2 reads R; the RAM's word arrives a cycle later
    reg  [2:0]  frame;
    reg  [2:0]  last;        // 2^ratio_log2 - 1
    reg         play_half;
    reg  [1:0]  fetch;
    reg  [23:0] word;
    reg         wrap;        // the frame to come is the block's last: registered, frame moves
                             // only at takes, half a frame apart
    always @(posedge clk) begin
        last        <= (3'd1 << ratio_log2) - 3'd1;
        wrap        <= frame >= last;
        block_start <= 1'b0;
        word        <= buffer[{play_half, frame, fetch == 2'd2}];
        if (rst || align) begin
            frame     <= 3'd0;
            play_half <= newest_half;
            fetch     <= 2'd1;
        end else if (take_right) begin
            frame       <= wrap ? 3'd0 : frame + 3'd1;
            block_start <= wrap;
            if (wrap)
                play_half <= newest_half;
            fetch       <= 2'd1;
        end else if (fetch != 2'd0) begin
            fetch <= fetch + 2'd1;
        end
    end

    // ---- the words: fetched (zeros while silent), then made the minus lanes in place
    // (the negations are registered on their own: a carry chain, then the choice)
    reg [1:0]  topo;
    reg        minus_zero, minus_keep;
    reg [23:0] neg_a, neg_b;
    always @(posedge clk) begin
        topo       <= topology;
        minus_zero <= topo == TOPO_SE || silent;
        minus_keep <= topo == TOPO_PARALLEL;
        neg_a      <= -word_a;
        neg_b      <= -word_b;
        if (fetch == 2'd2)
            word_a <= silent ? 24'd0 : word;
        else if (take_left && minus_zero)
            word_a <= 24'd0;
        else if (take_left && !minus_keep)
            word_a <= neg_a;
        if (fetch == 2'd3)
            word_b <= silent ? 24'd0 : word;
        else if (take_left && minus_zero)
            word_b <= 24'd0;
        else if (take_left && !minus_keep)
            word_b <= neg_b;
    end
endmodule
