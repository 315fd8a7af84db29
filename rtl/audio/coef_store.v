// The interpolation engine's coefficients: one 2048 x 32 store in the two single-port SPRAMs
// (stage-1 banks at 0x000-0x3FF, 256 words each: phase 0 at +0, phase 1 at +128; the fixed
// stages 2 and 3 and the unity tap at 0x400-0x43F). The SPRAM has no initial contents: after
// reset the built-in coefficients (tools/firgen) are copied in from a ROM in block RAM, twice
// over, since block RAM reads are not valid for the first cycles after configuration; `ready`
// rises when the second copy is done and the engine may read.
`default_nettype none

module coef_store (
    input  wire        clk,
    input  wire        rst,
    output reg         ready,
    // the engine's reads: the word a cycle after its address
    input  wire [10:0] rd_addr,
    output reg  [31:0] rd_data
);
    reg [31:0] rom [0:255];
    `include "coef_rom.vh"

    (* ram_style = "huge" *)
    reg [31:0] store [0:2047];

    // ---- the copy: ROM word a goes to a below 192 and to 0x400 + (a - 192) above
    reg  [8:0]  copy;      // two passes over the ROM
    reg         copying, write;
    reg  [7:0]  write_a;
    reg  [31:0] rom_q;
    wire [10:0] write_addr = write_a[7:6] == 2'b11 ? {5'b10000, write_a[5:0]} : {3'b000, write_a};
    always @(posedge clk) begin
        rom_q   <= rom[copy[7:0]];
        write_a <= copy[7:0];
        write   <= copying;
        if (rst) begin
            copy    <= 9'd0;
            copying <= 1'b1;
            ready   <= 1'b0;
        end else if (copying) begin
            copy    <= copy + 9'd1;
            copying <= copy != 9'd511;
        end else begin
            ready   <= !write;  // the last word written
        end
    end

    // ---- the store (single port): written by the copy, read by the engine once ready
    wire [10:0] addr = write ? write_addr : rd_addr;
    always @(posedge clk)
        if (write)
            store[addr] <= rom_q;
        else
            rd_data <= store[addr];
endmodule
