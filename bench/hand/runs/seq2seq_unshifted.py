"""GRU encoder-decoder that learns to reverse digit strings, trained with teacher forcing.
The decoder is fed the target itself instead of the target shifted right behind <bos>, so
each step sees the token it has to predict: training loss collapses, greedy decoding fails."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

L, V, BOS = 8, 12, 11  # digits 1..10, 11 = <bos>


class Seq2Seq(nn.Module):
    def __init__(self, hidden=64):
        super().__init__()
        self.emb = nn.Embedding(V, 32)
        self.enc = nn.GRU(32, hidden, batch_first=True)
        self.dec = nn.GRU(32, hidden, batch_first=True)
        self.out = nn.Linear(hidden, V)

    def forward(self, src_tgt):  # (B, 2L): source, then the decoder's input tokens
        src, tgt_in = src_tgt[:, :L], src_tgt[:, L:]
        _, h = self.enc(self.emb(src))
        o, _ = self.dec(self.emb(tgt_in), h)
        return self.out(o).transpose(1, 2)  # (B, V, L)

    @torch.no_grad()
    def greedy(self, src):
        _, h = self.enc(self.emb(src))
        tok, outs = torch.full((len(src), 1), BOS), []
        for _ in range(L):
            o, h = self.dec(self.emb(tok), h)
            tok = self.out(o).argmax(-1)
            outs.append(tok)
        return torch.cat(outs, 1)


def build():
    torch.manual_seed(0)
    return Seq2Seq()


def main():
    from _hand import finish, out_dir
    out = out_dir(__file__)
    torch.manual_seed(0)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    val_src = torch.randint(1, 11, (256, L))
    val_tgt = val_src.flip(1)
    with open(out / "seq2seq_log.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["step", "train_loss", "val_token_acc"])
        for step in range(300):
            src = torch.randint(1, 11, (64, L))
            tgt = src.flip(1)
            dec_in = tgt  # should be torch.cat([BOS column, tgt[:, :-1]], 1)
            loss = F.cross_entropy(model(torch.cat([src, dec_in], 1)), tgt)
            opt.zero_grad()
            loss.backward()
            opt.step()
            if step % 20 == 19:
                acc = (model.greedy(val_src) == val_tgt).float().mean().item()
                w.writerow([step, loss.item(), acc])
    print("train loss", loss.item(), "greedy token acc", acc)
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict()}, out / "s2s.pt")
    batch = torch.cat([val_src[:64], val_tgt[:64]], 1), val_tgt[:64]
    finish(out, __file__, batch, causes=["labels_wrong"], checkpoint="s2s.pt",
           log="seq2seq_log.csv", what="teacher forcing without the right shift: targets leak",
           complaint="training loss goes to almost zero but the decoded outputs are garbage")


if __name__ == "__main__":
    main()
