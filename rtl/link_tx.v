// Link frame transmitter: END, the escaped bytes, their escaped big-endian CRC-16, END.
// Bytes come in by request and acknowledge: in_ack pulses the cycle after a byte is taken, and
// the source may offer its next byte in that cycle. Nothing combinational runs back to the
// source, which keeps the UART's ready off the executor's critical path.
`default_nettype none

module link_tx (
    input  wire       clk,
    input  wire       rst,
    // unescaped response bytes
    input  wire [7:0] in_data,
    input  wire       in_valid,
    input  wire       in_last,
    output reg        in_ack,
    // bytes on the wire
    output reg  [7:0] out_data,
    output reg        out_valid,
    input  wire       out_ready
);
    `include "regmap.vh"

    localparam [2:0] S_START = 3'd0,  // idle; sends END before the first byte
                     S_BODY  = 3'd1,
                     S_CRC_H = 3'd2,
                     S_CRC_L = 3'd3,
                     S_STOP  = 3'd4;

    reg [2:0]  state;
    reg [15:0] crc;
    reg        esc_pending;  // second byte of an escape still to send
    reg [7:0]  esc_byte;
    reg        last_seen;

    wire [15:0] crc_next;
    crc16_byte crc_unit (
        .crc_in  (crc),
        .data    (in_data),
        .crc_out (crc_next)
    );

    wire slot = !out_valid || out_ready;  // the output can take a byte this cycle

    // in_ack high: in_data is the byte just taken, not yet replaced by the source
    wire take = slot && !esc_pending && state == S_BODY && !last_seen && in_valid && !in_ack;

    // Sends b, escaped when it is a SLIP control byte.
    task automatic send(input [7:0] b);
        begin
            out_valid <= 1'b1;
            if (b == BAL_SLIP_END || b == BAL_SLIP_ESC) begin
                out_data    <= BAL_SLIP_ESC;
                esc_pending <= 1'b1;
                esc_byte    <= (b == BAL_SLIP_END) ? BAL_SLIP_ESC_END : BAL_SLIP_ESC_ESC;
            end else begin
                out_data <= b;
            end
        end
    endtask

    always @(posedge clk) begin
        in_ack <= take;
        if (out_valid && out_ready)
            out_valid <= 1'b0;
        if (rst) begin
            state       <= S_START;
            out_valid   <= 1'b0;
            esc_pending <= 1'b0;
            last_seen   <= 1'b0;
        end else if (slot) begin
            if (esc_pending) begin
                out_data    <= esc_byte;
                out_valid   <= 1'b1;
                esc_pending <= 1'b0;
            end else begin
                case (state)
                    S_START: if (in_valid) begin
                        out_data  <= BAL_SLIP_END;
                        out_valid <= 1'b1;
                        crc       <= 16'hFFFF;
                        last_seen <= 1'b0;
                        state     <= S_BODY;
                    end
                    S_BODY: if (last_seen) begin
                        state <= S_CRC_H;
                    end else if (take) begin
                        send(in_data);
                        crc       <= crc_next;
                        last_seen <= in_last;
                    end
                    S_CRC_H: begin
                        send(crc[15:8]);
                        state <= S_CRC_L;
                    end
                    S_CRC_L: begin
                        send(crc[7:0]);
                        state <= S_STOP;
                    end
                    S_STOP: begin
                        out_data  <= BAL_SLIP_END;
                        out_valid <= 1'b1;
                        last_seen <= 1'b0;
                        state     <= S_START;
                    end
                    default: state <= S_START;
                endcase
            end
        end
    end
endmodule
