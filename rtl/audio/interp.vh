// The MAC lane's timing, for the blocks that schedule it (rtl/audio/mac_lane.v)
localparam integer MAC_GAP = 3;      // idle cycles between passes, at least
localparam integer MAC_LATENCY = 9;  // from the last tap in to out_valid
