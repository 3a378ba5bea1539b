"""Hugging Face Trainer: a tiny MobileBERT span reader (``MobileBertConfig``: vocabulary 22,
64 wide with 32-wide bottlenecks, 2 layers, 4 heads, built from the config, no download;
``MobileBertForQuestionAnswering``) marks where the boil began and ended in a puddling
furnace's heat, from the log a works chemist kept at the furnace door: 60 readings, one every
2 minutes, each one token made from the brightness of the flame over the bath (6 levels)
and whether the bath was falling, flat or rising (3). A heat melts down (dull flame, flat
bath, 10-18 readings), clears (flame a little brighter, 5-12), boils (carbon burning off as
CO, the "puddler's candles" bright and flickering, the bath heaving up, 12-24), comes to
nature (the flame dying, the bath sinking as the iron thickens, 4-8), then is balled up
(dull). The span head must give the first and the last reading of the boil (the answer
span, offset by the start token). Flame noise 0.08 of full scale, bath-trend noise enough
to flip about one reading in eight.
AdamW 2e-3 with a cosine schedule and 24 warmup steps (10 %), weight decay 0.01, batch 24,
6 epochs of 960 heats, eval each epoch on 240 heats (start / end exact and within one
reading, span overlap), loss every 8 steps, checkpoint each epoch (``heats/checkpoint-N/`` with
``trainer_state.json``, the last two kept).
Healthy; numbers in the README."""
import torch
from transformers import (
    MobileBertConfig,
    MobileBertForQuestionAnswering,
    Trainer,
    TrainingArguments,
)

T = 60
VOCAB = 4 + 6 * 3  # 0 pad, 1 start, 2 end, 3 unused; then flame level × bath trend


def heats(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    ri = lambda lo, hi: torch.randint(lo, hi + 1, (n,), generator=g)  # noqa: E731
    melt, clear, boil, nature = ri(10, 18), ri(5, 12), ri(12, 24), ri(4, 8)
    b0 = melt + clear
    b1 = b0 + boil  # first reading after the boil
    t = torch.arange(T).unsqueeze(0)
    in_clear = (t >= melt.unsqueeze(1)) & (t < b0.unsqueeze(1))
    in_boil = (t >= b0.unsqueeze(1)) & (t < b1.unsqueeze(1))
    in_nat = (t >= b1.unsqueeze(1)) & (t < (b1 + nature).unsqueeze(1))
    since = (t - b1.unsqueeze(1)).float() / nature.unsqueeze(1)
    flame = 0.12 + 0.08 * r(n, 1) + torch.zeros(n, T)
    flame = torch.where(in_clear, 0.25 + 0.1 * r(n, 1), flame)
    flame = torch.where(in_boil, 0.62 + 0.3 * r(n, T), flame)
    flame = torch.where(in_nat, 0.7 * (1 - since) + 0.15, flame)
    flame = (flame + 0.08 * torch.randn(n, T, generator=g)).clamp(0, 0.999)
    trend = torch.ones(n, T, dtype=torch.long)  # flat
    trend = torch.where(in_boil, torch.full_like(trend, 2), trend)
    trend = torch.where(in_nat, torch.zeros_like(trend), trend)
    flip = r(n, T) < 0.13
    trend = torch.where(flip, torch.randint(0, 3, (n, T), generator=g), trend)
    tok = 4 + (flame * 6).long() * 3 + trend
    ids = torch.cat([torch.ones(n, 1, dtype=torch.long), tok,
                     torch.full((n, 1), 2, dtype=torch.long)], 1)
    return ids, b0 + 1, b1  # start and end positions (the start token is position 0)


class Heats(torch.utils.data.Dataset):
    def __init__(self, ids, start, end):
        self.ids, self.start, self.end = ids, start, end

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(T + 2, dtype=torch.long),
                "token_type_ids": torch.zeros(T + 2, dtype=torch.long),
                "start_positions": self.start[i], "end_positions": self.end[i]}


def build():
    torch.manual_seed(0)
    config = MobileBertConfig(vocab_size=VOCAB, hidden_size=64, embedding_size=32,
                              intra_bottleneck_size=32, true_hidden_size=32,
                              num_hidden_layers=2, num_attention_heads=4, intermediate_size=64,
                              num_feedforward_networks=1, max_position_embeddings=T + 4,
                              hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0,
                              pad_token_id=0)
    return MobileBertForQuestionAnswering(config)


def metrics(pred):
    s_log, e_log = pred.predictions[:2]
    s_true, e_true = pred.label_ids
    s, e = s_log.argmax(-1), e_log.argmax(-1)
    inter = (torch.minimum(torch.tensor(e), torch.tensor(e_true))
             - torch.maximum(torch.tensor(s), torch.tensor(s_true)) + 1).clamp(min=0)
    union = torch.tensor(e_true - s_true + 1) + torch.tensor(e - s + 1).clamp(min=0) - inter
    return {"start_exact": float((s == s_true).mean()), "end_exact": float((e == e_true).mean()),
            "start_within_1": float((abs(s - s_true) <= 1).mean()),
            "end_within_1": float((abs(e - e_true) <= 1).mean()),
            "span_iou": float((inter / union.clamp(min=1)).mean())}


def main():
    from _threehundredseventysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, str_, etr = heats(960, g)
    iva, sva, eva = heats(240, g)
    print("boil length", (etr - str_ + 1).float().mean().item())
    args = TrainingArguments(str(out / "heats"), num_train_epochs=6, learning_rate=2e-3,
                             warmup_steps=24, lr_scheduler_type="cosine", weight_decay=0.01,
                             per_device_train_batch_size=24, per_device_eval_batch_size=240,
                             logging_steps=8, eval_strategy="epoch", save_strategy="epoch",
                             save_total_limit=2, report_to=[], use_cpu=True, disable_tqdm=True,
                             seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Heats(itr, str_, etr),
                      eval_dataset=Heats(iva, sva, eva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "heats").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": torch.stack([sva[:64], eva[:64]], 1)},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny MobileBERT span reader marking the start and end of the boil in a"
                " puddling furnace heat's flame / bath log, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
