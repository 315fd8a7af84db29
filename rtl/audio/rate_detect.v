// Input rate detector: counts system cycles between the receiver's frame strobes and names the
// rate it is within 3 % of (44.1, 48, 88.2, 96, 176.4 or 192 kHz; 8.8 % separates the closest
// two). The count is never compared with twelve bounds at once: the bounds are passed in
// ascending order as the count reaches each (one equality compare), and the number passed when
// the strobe comes says where the period fell. Locked after four periods of the same rate;
// unlocked at once by a period of another rate or none, or by no frame for four periods of the
// slowest rate (a lost clock).
`default_nettype none

module rate_detect #(
    parameter integer SYS_CLK_HZ = 49152000
) (
    input  wire       clk,
    input  wire       rst,
    input  wire       frame,    // one strobe per input frame
    output reg        locked,
    output reg  [2:0] rate      // 0 none, 1 44.1, 2 48, 3 88.2, 4 96, 5 176.4, 6 192 kHz
);
    // periods in cycles, shortest first; SYS_CLK_HZ / 100 keeps the products within 32 bits
    localparam integer C = SYS_CLK_HZ / 100;
    function automatic integer lo(input integer fs);
        lo = C * 97 / fs;
    endfunction
    function automatic integer hi(input integer fs);
        hi = (C * 103 + fs - 1) / fs;
    endfunction
    localparam integer LOST = 4 * ((C * 103 + 44099) / 44100);
    localparam integer W = $clog2(LOST + 1);
    localparam [3:0] NB = 4'd13;  // bounds: twelve, then LOST

    /* verilator lint_off UNUSEDSIGNAL */
    // the cycles from bound k to bound k + 1, less one: each arm a constant (no subtractor
    // behind the multiplexer); FIRST_GAP from the frame (count 1) to bound 0, less one
    function automatic [W-1:0] gap_after(input [3:0] k);
        integer g;
        begin
            case (k)
                4'd0:  g = hi(192000) - lo(192000) - 1;  4'd1:  g = lo(176400) - hi(192000) - 1;
                4'd2:  g = hi(176400) - lo(176400) - 1;  4'd3:  g = lo(96000) - hi(176400) - 1;
                4'd4:  g = hi(96000) - lo(96000) - 1;    4'd5:  g = lo(88200) - hi(96000) - 1;
                4'd6:  g = hi(88200) - lo(88200) - 1;    4'd7:  g = lo(48000) - hi(88200) - 1;
                4'd8:  g = hi(48000) - lo(48000) - 1;    4'd9:  g = lo(44100) - hi(48000) - 1;
                4'd10: g = hi(44100) - lo(44100) - 1;    4'd11: g = LOST - hi(44100) - 1;
                default: g = 0;
            endcase
            gap_after = g[W-1:0];
        end
    endfunction
    localparam integer FIRST_GAP_I = lo(192000) - 1;
    localparam [W-1:0] FIRST_GAP = FIRST_GAP_I[W-1:0];
    /* verilator lint_on UNUSEDSIGNAL */

    // The count, kept as what remains of it to the next bound (a down-counter: its test is
    // against a constant); passed: bounds below the count
    reg [W-1:0] remain;        // bound(passed) - count, where count is cycles since the frame, from 1
    reg [W-1:0] next_gap;      // gap_after(passed), registered (passed moves at bounds only)
    reg [3:0]   passed;
    reg         at_bound;      // count == the next bound: decided a cycle ahead (they are far apart)
    wire        lost = passed == NB;
    always @(posedge clk) begin
        at_bound <= !(rst || frame) && remain == {{(W - 1){1'b0}}, 1'b1};
        next_gap <= gap_after(passed);
        if (rst || frame) begin
            remain <= FIRST_GAP;
            passed <= 4'd0;
        end else if (!lost) begin
            remain <= remain - 1'b1;
            if (at_bound) begin
                passed <= passed + 4'd1;
                remain <= next_gap;
            end
        end
    end

    // an odd number of bounds passed: inside a rate's window. Registered, and judged a cycle
    // after the frame, so the lock logic starts from flip-flops.
    reg [2:0] seen;
    reg       frame_q;
    always @(posedge clk) begin
        frame_q <= frame && !rst;
        case (passed)
            4'd1:    seen <= 3'd6;
            4'd3:    seen <= 3'd5;
            4'd5:    seen <= 3'd4;
            4'd7:    seen <= 3'd3;
            4'd9:    seen <= 3'd2;
            4'd11:   seen <= 3'd1;
            default: seen <= 3'd0;
        endcase
    end

    // the frame's rate against the last, compared a cycle before the lock logic takes it
    reg [2:0] last, seen_q;
    reg       same, frame_qq, lost_q;
    reg [1:0] run;  // frames of the same rate after the first, up to 3
    always @(posedge clk) begin
        frame_qq <= frame_q && !rst;
        lost_q   <= lost;
        if (frame_q) begin
            seen_q <= seen;
            same   <= seen != 3'd0 && seen == last;
        end
        if (rst || lost_q) begin
            locked <= 1'b0;
            rate   <= 3'd0;
            last   <= 3'd0;
            run    <= 2'd0;
        end else if (frame_qq) begin
            last <= seen_q;
            if (!same) begin
                locked <= 1'b0;
                rate   <= 3'd0;
                run    <= 2'd0;
            end else if (run != 2'd3) begin
                run <= run + 2'd1;
            end else begin
                locked <= 1'b1;
                rate   <= seen_q;
            end
        end
    end
endmodule
