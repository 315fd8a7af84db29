// CRC-16/CCITT-FALSE (polynomial 0x1021, MSB first), one byte per call.
// Run over a frame and its big-endian CRC, the register ends at zero.
`default_nettype none

module crc16_byte (
    input  wire [15:0] crc_in,
    input  wire [7:0]  data,
    output reg  [15:0] crc_out
);
    integer i;
    always @* begin
        crc_out = crc_in ^ {data, 8'h00};
        for (i = 0; i < 8; i = i + 1)
            crc_out = crc_out[15] ? ({crc_out[14:0], 1'b0} ^ 16'h1021) : {crc_out[14:0], 1'b0};
    end
endmodule
