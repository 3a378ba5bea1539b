"""Hugging Face Trainer: a tiny DeBERTa span model (``DebertaConfig``: vocabulary 23, 48 wide, 2
layers, 4 heads, built from the config, no download; ``DebertaForQuestionAnswering``) marks in a
windmiller's anemometer log the stretch of the day when the sails could be set. A log is 48
ten-minute wind readings (8 hours), each one token: the mean speed binned by whole m/s from 0 to
19 (tokens 3-22; 0 pad, 1 start, 2 unused). The miller's rule: the mill can work when the wind
is 4-9 m/s (under 4 the stones will not turn under load, over 9 the sails must be reefed or
stopped), and only a stretch of at least 40 minutes (4 readings) is worth letting the sails out
for. Each log has one such working stretch (4-18 readings) in a day that is otherwise calm or
too gusty, with up to three short lulls or breezes of 1-3 workable readings elsewhere that do
not count. The model gives the first and the last reading of the working stretch (start / end
positions, the start token at 0). AdamW 2e-3 with cosine decay and 45 warmup steps (a tenth of
the 450), weight decay 0.01, batch 16, 6 epochs of 1200 logs, eval every 75 steps (each epoch)
on 300 logs (exact span, start and end hit rates), loss every 15 steps, checkpoint every 75
steps (``sailwatch/checkpoint-N/`` with ``trainer_state.json``, the last two kept).
Healthy; numbers in the README."""
import torch
from transformers import DebertaConfig, DebertaForQuestionAnswering, Trainer, TrainingArguments

T = 48
LO, HI = 4, 9  # workable wind, m/s (bins)


def logs(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    ri = lambda lo, hi: torch.randint(lo, hi, (1,), generator=g).item()  # noqa: E731
    speed = torch.empty(n, T, dtype=torch.long)
    start = torch.empty(n, dtype=torch.long)
    end = torch.empty(n, dtype=torch.long)
    for i in range(n):
        calm = r(T) < 0.5 if r(1).item() < 0.5 else r(T) < 0.15
        bad = torch.where(calm, torch.randint(0, LO, (T,), generator=g),
                          torch.randint(HI + 1, 20, (T,), generator=g))
        length = ri(4, 19)
        s = ri(0, T - length + 1)
        work = torch.zeros(T, dtype=torch.bool)
        work[s:s + length] = True
        for _ in range(ri(0, 4)):  # short lulls or breezes that do not count
            k = ri(1, 4)
            p = ri(0, T - k + 1)
            if not work[max(p - 1, 0):p + k + 1].any():
                work[p:p + k] = True
        good = torch.randint(LO, HI + 1, (T,), generator=g)
        speed[i] = torch.where(work, good, bad)
        start[i], end[i] = s + 1, s + length
    ids = torch.cat([torch.ones(n, 1, dtype=torch.long), 3 + speed], 1)
    return ids, start, end


class Logs(torch.utils.data.Dataset):
    def __init__(self, ids, start, end):
        self.ids, self.start, self.end = ids, start, end

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(T + 1, dtype=torch.long),
                "start_positions": self.start[i], "end_positions": self.end[i]}


def build():
    torch.manual_seed(0)
    config = DebertaConfig(vocab_size=23, hidden_size=48, num_hidden_layers=2,
                           num_attention_heads=4, intermediate_size=96,
                           max_position_embeddings=T + 8, hidden_dropout_prob=0.0,
                           attention_probs_dropout_prob=0.0, pad_token_id=0, type_vocab_size=0)
    return DebertaForQuestionAnswering(config)


def metrics(pred):
    s_logits, e_logits = pred.predictions[:2]
    s_true, e_true = pred.label_ids
    s, e = s_logits.argmax(-1), e_logits.argmax(-1)
    return {"span_exact": float(((s == s_true) & (e == e_true)).mean()),
            "start_hit": float((s == s_true).mean()), "end_hit": float((e == e_true).mean())}


def main():
    from _fourhundredfourteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, str_, etr = logs(1200, g)
    iva, sva, eva = logs(300, g)
    print("mean stretch", (etr - str_ + 1).float().mean().item())
    args = TrainingArguments(str(out / "sailwatch"), num_train_epochs=6, learning_rate=2e-3,
                             warmup_steps=45, lr_scheduler_type="cosine", weight_decay=0.01,
                             per_device_train_batch_size=16, per_device_eval_batch_size=300,
                             logging_steps=15, eval_strategy="steps", eval_steps=75,
                             save_strategy="steps", save_steps=75, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Logs(itr, str_, etr),
                      eval_dataset=Logs(iva, sva, eva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "sailwatch").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": torch.stack([sva[:64], eva[:64]], 1)},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny DeBERTa span model marking the workable-wind stretch in a windmiller's"
                " anemometer log, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
