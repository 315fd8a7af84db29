// Between the interpolation engine and the transmitter: the output blocks, double-buffered,
// and the topology.
//
// The engine writes each input frame's block (2^ratio_log2 output frames, L and R) into one
// half of a 32-word block RAM and raises block_done; that half becomes the newest. The
// transmitter takes a slot's two words at a time. After it takes the right slot's, the next
// frame's L and R are fetched (the next of the block being played, or after the block's last
// frame the first of the newest block: block_start, the next input frame is due, for the
// sources made inside); they are the left slot's words, L+ and R+. After it takes those, the
// same frame is fetched again into the same two registers, as the right slot's L- and R-, as
// the topology says: negated (balanced; mono-bridged, where the engine carried the mean on both
// channels), zero (single-ended) or kept (parallel). One negator serves both words, as they
// leave the RAM a cycle apart. The words were saturated to +-(2^23 - 1), so -L exists.
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
    // align) for the plus lanes, and again after a left slot's for the minus lanes: fetch 1
    // reads L, 2 reads R; the RAM's word arrives a cycle later, its negation a cycle after that
    reg  [2:0]  frame;
    reg  [2:0]  last;        // 2^ratio_log2 - 1
    reg         play_half;
    reg  [2:0]  fetch;       // 0: none; 1 .. 4
    reg         minus;       // the fetch is the minus lanes'
    reg  [23:0] word;
    reg         wrap;        // the frame to come is the block's last: registered, frame moves
                             // only at takes, half a frame apart
    // the transmitter's strobes, registered here first and combined into what they start (they
    // come from afar and steer wide): it has taken the words at its strobe, and the next take
    // is half a frame away
    reg         restart, next_frame, refetch, refetch_minus;
    always @(posedge clk) begin
        restart       <= rst || align;
        next_frame    <= take_right;
        refetch       <= rst || align || take_right || take_left;
        refetch_minus <= take_left && !(rst || align || take_right);
    end
    always @(posedge clk) begin
        last        <= (3'd1 << ratio_log2) - 3'd1;
        wrap        <= frame >= last;
        // the next input frame is due: said at once (at 2x from 192 kHz the engine's block
        // takes 239 of the frame's 256 cycles)
        block_start <= take_right && wrap && !(rst || align);
        word        <= buffer[{play_half, frame, fetch == 3'd2}];
        if (restart) begin
            frame     <= 3'd0;
            play_half <= newest_half;
        end else if (next_frame) begin
            frame       <= wrap ? 3'd0 : frame + 3'd1;
            if (wrap)
                play_half <= newest_half;
        end
        if (refetch) begin
            fetch <= 3'd1;
            minus <= refetch_minus;
        end else if (fetch != 3'd0) begin
            fetch <= fetch == 3'd4 ? 3'd0 : fetch + 3'd1;
        end
    end

    // ---- the words: the plus lanes as fetched, the minus lanes negated (the negation
    // registered on its own: a carry chain, then the choice), zero or kept (not fetched into);
    // zeros while silent
    reg [1:0]  topo;
    reg        minus_zero, minus_keep;
    reg [23:0] neg;
    wire       zero   = silent || (minus && minus_zero);
    wire       keep   = minus_keep && !silent;  // the minus lanes are the plus lanes
    wire       load_a = minus ? fetch == 3'd3 && !keep : fetch == 3'd2;
    wire       load_b = minus ? fetch == 3'd4 && !keep : fetch == 3'd3;
    wire [23:0] value = zero ? 24'd0 : minus ? neg : word;
    always @(posedge clk) begin
        topo       <= topology;
        minus_zero <= topo == TOPO_SE;
        minus_keep <= topo == TOPO_PARALLEL;
        neg        <= -word;
        if (load_a)
            word_a <= value;
        if (load_b)
            word_b <= value;
    end
endmodule
