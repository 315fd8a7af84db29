// UART receiver, 8N1, with a fractional (phase accumulator) baud generator.
// The accumulator restarts at every start edge, so each character is sampled at bit centres
// measured from its own start bit: a rate error of several percent stays within half a bit
// over the ten bits of a character.
`default_nettype none
`include "regmap_defs.vh"

module uart_rx #(
    parameter integer SYS_CLK_HZ = `BAL_SYSCLK_EXACT_HZ,
    parameter integer BAUD       = `BAL_BAUD,
    parameter integer PHASE_W    = 12   // rate error < 0.2% at 45.1584, 49.152, 49.5 MHz
) (
    input  wire       clk,
    input  wire       rst,
    // serial line (asynchronous)
    input  wire       rx,
    // received bytes, one-cycle strobes
    output reg  [7:0] data,
    output reg        valid,
    output reg        frame_err
);
    `include "phase_step.vh"
    localparam [PHASE_W-1:0] STEP = phase_step(SYS_CLK_HZ, BAUD);
    // The synchronizer delays edge and samples alike; the registered tick lags its carry by a
    // cycle, so the carry comes a step early: samples land half a bit after the edge.
    localparam [PHASE_W-1:0] START_PHASE = (1 << (PHASE_W - 1)) + STEP;

    reg [2:0] rx_sync = 3'b111;  // two for metastability, one for edge detection
    always @(posedge clk)
        rx_sync <= {rx_sync[1:0], rx};
    wire rx_now  = rx_sync[1];
    wire rx_fell = rx_sync[2] && !rx_sync[1];

    reg               busy;
    reg [3:0]         bit_index;  // 0 start, 1..8 data, 9 stop
    reg [PHASE_W-1:0] phase;
    reg [7:0]         shift;

    wire [PHASE_W:0] phase_next = {1'b0, phase} + {1'b0, STEP};
    reg              tick;  // the carry, registered: a bit boundary passed last cycle

    always @(posedge clk) begin
        valid     <= 1'b0;
        frame_err <= 1'b0;
        if (rst) begin
            busy <= 1'b0;
        end else if (!busy) begin
            tick <= 1'b0;
            if (rx_fell) begin
                busy      <= 1'b1;
                bit_index <= 4'd0;
                phase     <= START_PHASE;
            end
        end else begin
            phase <= phase_next[PHASE_W-1:0];
            tick  <= phase_next[PHASE_W];
            if (tick) begin
                bit_index <= bit_index + 4'd1;
                if (bit_index == 4'd0) begin
                    if (rx_now)
                        busy <= 1'b0;  // a glitch, not a start bit
                end else if (bit_index == 4'd9) begin
                    busy      <= 1'b0;
                    data      <= shift;
                    valid     <= rx_now;
                    frame_err <= !rx_now;
                end else begin
                    shift <= {rx_now, shift[7:1]};
                end
            end
        end
    end
endmodule
