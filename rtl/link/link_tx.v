// Link frame transmitter: END, the escaped bytes, their escaped big-endian CRC-16, END.
// Bytes come in by request and acknowledge: in_ack pulses the cycle after a byte is taken, and
// the source may offer its next byte in that cycle. A taken byte is classified (SLIP control
// byte or not) into a register before it is sent, so no decision runs from the source's
// register to the output's enables; the UART takes a byte only every ~160 cycles anyway.
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
    // the byte taken, classified, waiting to be sent
    reg        held;
    reg [7:0]  held_byte;
    reg        held_end, held_esc, held_last;
    reg        esc_pending;  // second byte of an escape still to send
    reg [7:0]  esc_byte;

    wire [15:0] crc_next;
    crc16_byte crc_unit (
        .crc_in  (crc),
        .data    (in_data),
        .crc_out (crc_next)
    );

    // the output can take a byte: it is empty (a byte taken frees it for the cycle after; the
    // UART's ready, which comes from afar, reaches nothing here but out_valid)
    wire slot = !out_valid;

    // the next byte out and whether there is one, chosen into registers a cycle ahead (not in
    // the cycle after a byte went, when what they come from has just moved): the output's
    // enable is only the slot and one flip-flop
    reg  [7:0] next_out;
    reg        next_send;
    wire       send = slot && next_send;
    always @(posedge clk) begin
        next_out  <= esc_pending ? esc_byte
                   : held ? ((held_end || held_esc) ? BAL_SLIP_ESC : held_byte) : BAL_SLIP_END;
        next_send <= !rst && !send &&
                     (esc_pending || held || (state == S_START && in_valid) || state == S_STOP);
    end

    // take a byte while none is held (in_ack high: in_data is the one just taken). The
    // decision is registered: the source holds its byte until in_ack, and nothing it depends
    // on moves in between
    reg  take;
    always @(posedge clk)
        take <= state == S_BODY && !held && !held_last && in_valid && !in_ack && !take && !rst;
    // the CRC goes out through the same hold and escape path as the body: its byte is loaded
    // every cycle the hold is free (the same byte; the output's slot decides only when it
    // counts as held)
    wire       crc_turn  = (state == S_CRC_H || state == S_CRC_L) && !esc_pending && !held;
    wire       load      = take || crc_turn;
    wire [7:0] load_byte = take ? in_data : state == S_CRC_H ? crc[15:8] : crc[7:0];
    always @(posedge clk) begin
        in_ack <= take && !rst;
        if (load) begin
            held_byte <= load_byte;
            held_end  <= load_byte == BAL_SLIP_END;
            held_esc  <= load_byte == BAL_SLIP_ESC;
        end
        if (take)
            crc <= crc_next;
        else if (state == S_START)
            crc <= 16'hFFFF;
    end

    // the escape's second byte, from the held byte until the escape is pending (then kept): its
    // enable is one flip-flop, not the output's slot
    always @(posedge clk)
        if (!esc_pending)
            esc_byte <= held_end ? BAL_SLIP_ESC_END : BAL_SLIP_ESC_ESC;

    always @(posedge clk) begin
        if (out_valid && out_ready)
            out_valid <= 1'b0;
        if (take) begin
            held      <= 1'b1;
            held_last <= in_last;
        end
        if (rst) begin
            state       <= S_START;
            out_valid   <= 1'b0;
            esc_pending <= 1'b0;
            held        <= 1'b0;
            held_last   <= 1'b0;
        end else begin
            if (send) begin  // next_out: what the branch below sends
                out_data  <= next_out;
                out_valid <= 1'b1;
            end
            if (!slot) begin
                // nothing moves until the output can take a byte
            end else if (esc_pending) begin
                if (next_send)
                    esc_pending <= 1'b0;
            end else if (held) begin
                // send the held byte, escaped when it is a control byte
                if (next_send) begin
                    esc_pending <= held_end || held_esc;
                    held        <= 1'b0;
                end
            end else begin
                case (state)
                    S_START: if (in_valid && next_send) begin  // END first
                        held_last <= 1'b0;
                        state     <= S_BODY;
                    end
                    S_BODY: if (held_last && !take) state <= S_CRC_H;
                    S_CRC_H: begin
                        held  <= 1'b1;  // crc[15:8], loaded into the hold this cycle
                        state <= S_CRC_L;
                    end
                    S_CRC_L: begin
                        held  <= 1'b1;
                        state <= S_STOP;
                    end
                    S_STOP: if (next_send) begin  // END last
                        held_last <= 1'b0;
                        state     <= S_START;
                    end
                    default: state <= S_START;
                endcase
            end
        end
    end
endmodule
