// Register bus codes (docs/buses.md).
/* verilator lint_off UNUSEDPARAM */
localparam [1:0] BUS_READ     = 2'd0,  // read a word
                 BUS_CHECK_RD = 2'd1,  // may this address be read? no effect
                 BUS_CHECK_WR = 2'd2,  // may this word be written here? no effect
                 BUS_WRITE    = 2'd3;  // write it (only after its check passed)
localparam [1:0] BUS_OK        = 2'd0,
                 BUS_BAD_ADDR  = 2'd1,
                 BUS_BAD_VALUE = 2'd2,
                 BUS_BUSY      = 2'd3;  // cannot now: the whole request is answered BUSY
/* verilator lint_on UNUSEDPARAM */
// A register target's value check, first step: the bits of a word outside its fields (the
// word & ~wmask), OR-ed in groups of four; the target judges them a cycle later (a 32-input OR
// behind the mask's decode is too deep for one cycle)
function automatic [7:0] stray_groups(input [31:0] bits);
    integer g;
    for (g = 0; g < 8; g = g + 1)
        stray_groups[g] = |bits[4 * g +: 4];
endfunction
