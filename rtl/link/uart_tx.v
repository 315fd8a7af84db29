// UART transmitter, 8N1, fractional baud generator (see uart_rx).
`default_nettype none
`include "regmap_defs.vh"

module uart_tx #(
    parameter integer SYS_CLK_HZ = `BAL_SYSCLK_EXACT_HZ,
    parameter integer BAUD       = `BAL_BAUD,
    parameter integer PHASE_W    = 12   // rate error < 0.2% at 45.1584, 49.152, 49.5 MHz
) (
    input  wire       clk,
    input  wire       rst,
    // byte stream in
    input  wire [7:0] data,
    input  wire       valid,
    output wire       ready,
    // serial line
    output reg        tx
);
    `include "phase_step.vh"
    localparam [PHASE_W-1:0] STEP = phase_step(SYS_CLK_HZ, BAUD);

    reg [8:0]         shift;      // data bits then the stop bit
    reg [7:0]         hold;       // the byte taken, until the shift register loads it
    reg               start;      // a byte was taken last cycle: the start bit begins
    reg [3:0]         bits_left;  // bits still to finish, the current one included
    reg               more;       // bits_left != 1, kept as a flip-flop (it enables the shift)
    reg               busy;       // a flip-flop, so that ready starts no logic chain
    reg [PHASE_W-1:0] phase;

    wire [PHASE_W:0] phase_next = {1'b0, phase} + {1'b0, STEP};
    reg              tick;  // the carry, registered: a bit boundary passed last cycle

    assign ready = !busy;

    // the byte is taken into `hold` (the stream's valid comes from afar: it enables nothing
    // else), and the start bit begins a cycle later
    always @(posedge clk) begin
        start <= 1'b0;
        if (rst) begin
            tx   <= 1'b1;
            busy <= 1'b0;
        end else if (!busy) begin
            tick  <= 1'b0;
            phase <= {PHASE_W{1'b0}};
            if (valid) begin
                hold  <= data;
                busy  <= 1'b1;
                start <= 1'b1;
            end
        end else if (start) begin
            tx        <= 1'b0;  // start bit
            shift     <= {1'b1, hold};
            bits_left <= 4'd10;
            more      <= 1'b1;
        end else begin
            phase <= phase_next[PHASE_W-1:0];
            tick  <= phase_next[PHASE_W];
            if (tick) begin
                bits_left <= bits_left - 4'd1;
                more      <= bits_left != 4'd2;
                if (!more)
                    busy <= 1'b0;
                if (more) begin
                    tx    <= shift[0];
                    shift <= {1'b1, shift[8:1]};
                end
            end
        end
    end
endmodule
