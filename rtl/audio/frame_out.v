// Between the interpolation engine and the lanes (lane_out): the output blocks,
// triple-buffered, handed on a frame at a time.
//
// The engine writes each input frame's block (2^ratio_log2 output frames, L and R) into one
// of three blocks of a block RAM and raises block_done; that block becomes the newest, and the
// engine goes on in the third, neither the newest nor the one being played: where the input
// runs fast and two blocks come within one played, the middle one is skipped whole, and no
// block is written while it is read (so the RAM needs no read-during-write logic). The
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
    input  wire        silent,       // fetch zeros
    input  wire        align,        // strobe: the transmitter restarts; play the newest block
    // the transmitter
    input  wire        take_right,
    output reg         block_start,
    // the frame to come
    output reg  [23:0] x_l,
    output reg  [23:0] x_r,
    output reg         words_ready,
    // the meters' look at the frame (lane_gain): its R while peek_right was high the cycle
    // before, else its L (between fetches; the block RAM's word as read, silent or not)
    input  wire        peek_right,
    output wire [23:0] peek
);

    // ---- the blocks, at {block, frame, channel} (block 3 never written). fill, newest and play
    // (below) are three different blocks, play and newest the same one between a block's end
    // and the next block_done: the engine's next is the block that the played one will not be
    (* no_rw_check *) reg [23:0] buffer [0:63];
    integer i;
    initial for (i = 48; i < 64; i = i + 1)
        buffer[i] = 24'd0;  // block 3: the silent fetches' zeros
    reg  [1:0] fill, newest, play;
    wire       play_moves;   // play takes newest this cycle (after reset: block 1)
    wire [1:0] play_next = rst ? 2'd1 : play_moves ? newest : play;
    always @(posedge clk) begin
        if (in_we)
            buffer[{fill, in_addr}] <= in_data;
        if (rst) begin
            fill   <= 2'd0;
            newest <= 2'd1;
        end else if (block_done) begin
            fill   <= 2'd3 - fill - play_next;  // the third: fill differs from both
            newest <= fill;
        end
    end
`ifndef SYNTHESIS
    // from the first reset on (before it, the state is random)
    reg checking = 1'b0;
    always @(posedge clk) begin
        checking <= checking || rst;
        if (checking && !rst && in_we && fill == play)
            $error("frame_out: the engine writes the block being played");
    end
`endif

    // ---- the frame to come: its index in the block, fetched after a right slot's take (or an
    // align): 1 reads L, 2 reads R; the RAM's word arrives a cycle later
    reg  [2:0]  frame;
    reg  [2:0]  last;        // 2^ratio_log2 - 1
    reg  [1:0]  fetch;
    reg  [23:0] word;
    reg         wrap;        // the frame to come is the block's last: registered, frame moves
                             // only at takes, half a frame apart
    assign play_moves = align || (take_right && wrap);
    always @(posedge clk) begin
        last        <= (3'd1 << ratio_log2) - 3'd1;
        wrap        <= frame >= last;
        block_start <= 1'b0;
        // while silent, the fetches read block 3, never written: zeros
        word        <= buffer[{silent && fetch != 2'd0 ? 2'd3 : play, frame,
                               fetch == 2'd2 || (fetch == 2'd0 && peek_right)}];
        play        <= play_next;
        if (rst || align) begin
            frame     <= 3'd0;
            fetch     <= 2'd1;
        end else if (take_right) begin
            frame       <= wrap ? 3'd0 : frame + 3'd1;
            block_start <= wrap;
            fetch       <= 2'd1;
        end else if (fetch != 2'd0) begin
            fetch <= fetch + 2'd1;
        end
    end

    assign peek = word;

    // ---- the frame's two samples (zeros while silent, from block 3: no choice in front of
    // the registers); words_ready when both are in
    always @(posedge clk) begin
        words_ready <= fetch == 2'd3;
        if (fetch == 2'd2)
            x_l <= word;
        if (fetch == 2'd3)
            x_r <= word;
    end
endmodule
