// SCRATCH_RAM: a block of the register map in one block RAM, for link tests and block-write
// checks. A register bus target (docs/buses.md): every word may be read and takes any value.
`default_nettype none

module scratch_ram #(
    parameter integer WORDS = 256
) (
    input  wire                     clk,
    // register bus target
    input  wire                     req,
    input  wire [1:0]               op,
    input  wire [$clog2(WORDS)-1:0] addr,
    input  wire [31:0]              wdata,
    output reg                      ack,
    output wire [1:0]               resp,
    output reg  [31:0]              rdata
);
    `include "bus.vh"

    (* no_rw_check *) reg [31:0] mem [0:WORDS-1];

    // the read is registered in the RAM; the answer comes with it
    always @(posedge clk) begin
        ack   <= req;
        rdata <= mem[addr];
        if (req && op == BUS_WRITE)
            mem[addr] <= wdata;
    end
    assign resp = BUS_OK;
endmodule
