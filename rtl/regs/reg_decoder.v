// Register bus address decoder: one master, NT targets, each a power-of-two window of the
// 16-bit word address space. The request strobe is registered twice on its way to the target
// chosen by its address (the windows are decoded from the address in the first cycle); op,
// address and data go to every target as the master holds them
// (stable from request to answer). An address in no window is answered BAD_ADDR here.
// Answers come back registered, a cycle after the selected target gives them (docs/buses.md).
// A target that keeps its rdata at zero but in the cycle of its answer (T_GATED) needs no
// selection gate on it: one input less to the answer's OR, on each of its 32 bits.
`default_nettype none

module reg_decoder #(
    parameter integer       NT     = 2,
    parameter [NT*16-1:0]   T_BASE = {16'h0100, 16'h0000},  // target i at bits [16*i +: 16]
    parameter [NT*5-1:0]    T_AW   = {5'd8, 5'd5},          // window of 2^AW words
    parameter [NT-1:0]      T_GATED = {NT{1'b0}}   // targets whose rdata is 0 but in their answer
) (
    input  wire            clk,
    input  wire            rst,
    // master
    input  wire            m_req,
    input  wire [15:0]     m_addr,
    output reg             m_ack,
    output reg  [1:0]      m_resp,
    output reg  [31:0]     m_rdata,   // held from the answer until the next one
    // targets: a request strobe each; op, address and data are the master's
    output reg  [NT-1:0]   t_req,
    input  wire [NT-1:0]   t_ack,
    input  wire [NT*2-1:0] t_resp,
    input  wire [NT*32-1:0] t_rdata
);
    `include "bus.vh"

    function automatic in_window(input [15:0] a, input [15:0] base, input [4:0] aw);
        in_window = (a >> aw) == (base >> aw);
    endfunction

    reg [NT-1:0] hit;   // the windows m_addr falls in
    integer i;
    always @*
        for (i = 0; i < NT; i = i + 1)
            hit[i] = in_window(m_addr, T_BASE[16*i +: 16], T_AW[5*i +: 5]);

    // the windows, registered with the request: the compares are off the path to the targets'
    // request strobes (the address is the master's, held from request to answer)
    reg [NT-1:0] hit_q;
    reg          req_q;
    always @(posedge clk) begin
        hit_q <= hit;
        req_q <= m_req && !rst;
    end

    reg [NT-1:0] sel;   // the window of the request in flight
    reg          miss;  // in none: answered here
    always @(posedge clk) begin
        t_req <= {NT{1'b0}};
        miss  <= 1'b0;
        if (rst) begin
            sel <= {NT{1'b0}};
        end else if (req_q) begin
            sel   <= hit_q;
            t_req <= hit_q;
            miss  <= hit_q == {NT{1'b0}};
        end
    end

    // answers: only the selected target acks; AND-OR by the registered selection
    reg [1:0]  resp_or;
    reg [31:0] rdata_or;
    always @* begin
        resp_or  = miss ? BUS_BAD_ADDR : BUS_OK;
        rdata_or = 32'd0;
        for (i = 0; i < NT; i = i + 1) begin
            resp_or  = resp_or | ({2{sel[i]}} & t_resp[2*i +: 2]);
            rdata_or = rdata_or | ({32{sel[i] || T_GATED[i]}} & t_rdata[32*i +: 32]);
        end
    end
    // registered on the way back, so the master decides on flip-flops
    wire answered = miss || (t_ack & sel) != {NT{1'b0}};
    always @(posedge clk) begin
        m_ack <= answered && !rst;
        if (answered) begin
            m_resp  <= resp_or;
            m_rdata <= rdata_or;
        end
    end
endmodule
