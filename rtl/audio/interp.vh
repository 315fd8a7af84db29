// The MAC lane's timing, for the blocks that schedule it (rtl/audio/mac_lane.v; its result
// comes 10 cycles after the last tap of a pass)
localparam integer MAC_GAP = 4;  // idle cycles between passes, at least
