// The interpolation engine's coefficients: one 4096 x 32 store in the two single-port SPRAMs.
//   0x000-0x7FF  the eight stage-1 banks, 256 words each: phase 0 at +0, phase 1 at +128
//                (tap i at 128 (i & 1) + (i >> 1)); bank 0 is the built-in filter
//   0x800-0x83F  the fixed stages 2 and 3 and the unity tap
//   0xC00-0xC1F  FILTER_INFO: four words a bank (name, CRC-32, taps)
// The SPRAM has no initial contents: after reset the built-in words (tools/firgen) are copied in
// from a ROM in block RAM, with zeros for the rest of bank 0's phase 1 and the other banks'
// FILTER_INFO, twice over, since block RAM reads are not valid for the first cycles after
// configuration; `ready` rises when the second copy is done and the engine may read.
//
// The engine reads every cycle it runs taps and always has the port then; the host port
// (filter_bank.v) is granted any other cycle: its address comes a cycle before its request,
// which it holds until `host_grant` (a strobe, decided in the cycle before from flip-flops, so
// that only one level of logic stands in front of the far-away SPRAM); a read's word is in
// rd_data the cycle after.
`default_nettype none

module coef_store (
    input  wire        clk,
    input  wire        rst,
    output reg         ready,
    // the engine's reads: the word a cycle after its address
    input  wire        engine_busy_next,  // the engine reads in the next cycle
    input  wire [11:0] rd_addr,
    output reg  [31:0] rd_data,
    // the host port
    input  wire        host_req,
    input  wire        host_we,
    input  wire [11:0] host_addr,
    input  wire [31:0] host_wdata,
    output wire        host_grant
);
    reg [31:0] rom [0:255];
    `include "coef_rom.vh"

    (* ram_style = "huge" *)
    reg [31:0] store [0:4095];

    // ---- the copy, twice over: c = 0..255 ROM word c, c = 256..347 a zero (see copy_addr)
    reg  [9:0]  copy;      // {pass, c}
    reg         copying, copy_we;
    reg         copy_zero; // the word is a zero, not the ROM's
    reg  [31:0] rom_q;
    function automatic [12:0] copy_target(input [8:0] c);  // {write, address}
        if (!c[8])
            copy_target = c[7:6] != 2'b11 ? {1'b1, 4'h0, c[7:0]}         // bank 0
                        : c[7:2] != 6'h3F ? {1'b1, 4'h8, 2'b00, c[5:0]}  // fixed area
                        : {1'b1, 10'h300, c[1:0]};                         // bank 0's info
        else
            copy_target = c[7:6] == 2'b00 ? {1'b1, 4'h0, 2'b11, c[5:0]}  // bank 0 phase 1's rest
                        : c[7:5] == 3'b010 && c[4:2] != 3'b000 ? {1'b1, 7'h60, c[4:0]}  // info 1-7
                        : 13'd0;
    endfunction
    reg         copy_to;   // the word is written (its address: other_addr), beside rom_q
    wire [12:0] copy_next = copy_target(copy[8:0]);
    always @(posedge clk) begin
        rom_q   <= rom[copy[7:0]];
        copy_zero <= copy[8];
        copy_to <= copy_next[12];
        copy_we <= copying;
        if (rst) begin
            copy    <= 10'd0;
            copying <= 1'b1;
            ready   <= 1'b0;
        end else if (copying) begin
            copy    <= copy + 10'd1;
            copying <= copy != 10'h3FF;
        end else begin
            ready   <= !copy_we;  // the last word written
        end
    end

    // ---- the store (single port): the copy, then the engine when it reads, else the host. The
    // copy's address or the host's (which holds it a cycle before it asks) is registered first,
    // so that one level of logic is left in front of the SPRAM, far away at the die's edge.
    reg  [11:0] other_addr;
    reg         grant, other, host_write;  // this cycle: the host's; the copy's or the host's
    always @(posedge clk) begin
        other_addr <= copying ? copy_next[11:0] : host_addr;
        grant      <= host_req && !grant && ready && !engine_busy_next;
        host_write <= host_req && !grant && ready && !engine_busy_next && host_we;
        other      <= copying || (host_req && !grant && ready && !engine_busy_next);
    end
    assign host_grant = grant;
    wire        copy_write = copy_we && copy_to;
    wire        we   = copy_write || host_write;
    wire [11:0] addr = other ? other_addr : rd_addr;
    wire [31:0] wd   = copy_we ? (copy_zero ? 32'd0 : rom_q) : host_wdata;
    always @(posedge clk)
        if (we)
            store[addr] <= wd;
        else
            rd_data <= store[addr];
endmodule
