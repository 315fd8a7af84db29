// Phase step of a PHASE_W-bit accumulator that turns over at rate_hz on a clk_hz clock, rounded.
/* verilator lint_off UNUSEDSIGNAL */
function automatic [PHASE_W-1:0] phase_step(input [31:0] clk_hz, input [31:0] rate_hz);
    reg [63:0] step;
    begin
        step = (({32'd0, rate_hz} << PHASE_W) + {33'd0, clk_hz[31:1]}) / {32'd0, clk_hz};
        phase_step = step[PHASE_W-1:0];
    end
endfunction
/* verilator lint_on UNUSEDSIGNAL */
