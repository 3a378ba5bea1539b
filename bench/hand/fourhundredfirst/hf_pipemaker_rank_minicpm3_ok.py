"""Hugging Face Trainer: a tiny MiniCPM3 causal model (``MiniCPM3Config``: vocabulary 72,
48 wide, 2 layers, 4 heads with low-rank query / key-value projections, built from the
config, no download; ``MiniCPM3ForCausalLM``) reads an organ pipemaker's cutting list for a
rank of flue pipes and predicts the next pipe's speaking length, so a hand-written list can
be checked as it is typed. A rank is one stop (open diapason 8', principal 4', fifteenth 2',
twelfth 2 2/3' or a stopped gedackt 8', which is half as long) starting at a random note of
the bottom octave, 20 pipes up the chromatic scale: length = the half (open) or quarter
(stopped) wavelength at A = 440 Hz equal temperament, less the end corrections (0.6 × the
diameter per open end, the diameter halving every 16 pipes, Töpfer's scale), plus the
voicer's cut-up allowance (± 1.5 %). Each length is one token: log2(length) in
semitone bins from 80 mm to 3.2 m (tokens 8-71; 0 pad, 1 start, 2-6 the stop).
AdamW 2e-3 with cosine decay and 20 warmup steps, weight decay 0.01, batch 20, 5 epochs of 800
ranks, eval every epoch on 200 ranks (next-length accuracy and share within one bin over
the lengths after the first), loss every 10 steps, checkpoint every epoch
(``cutlist/checkpoint-N/`` with ``trainer_state.json``, the last two kept).
Healthy; numbers in the README."""
import math

import torch
from transformers import MiniCPM3Config, MiniCPM3ForCausalLM, Trainer, TrainingArguments

NP = 20
BIN0, NBINS = 8, 64
FEET = [8.0, 4.0, 2.0, 8.0 / 3.0, 8.0]  # last: stopped 8' gedackt


def ranks(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    stop = torch.randint(0, 5, (n,), generator=g)
    start = torch.randint(0, 12, (n,), generator=g)
    k = start.unsqueeze(1) + torch.arange(NP)
    feet = torch.tensor(FEET)[stop].unsqueeze(1)
    f = 65.406 * (8.0 / feet) * 2 ** (k / 12)  # C of the stop's pitch, then up the scale
    lam = 343000.0 / f
    stopped = (stop == 4).unsqueeze(1)
    diam = 0.085 * 343000.0 / (65.406 * 8.0 / feet) * 2 ** (-k / 16) / 4.0
    length = torch.where(stopped, lam / 4 - 0.6 * diam, lam / 2 - 1.2 * diam)
    length = length * (1 + 0.015 * (2 * r(n, NP) - 1))
    b = ((torch.log2(length) - math.log2(80.0)) * 12).floor().clamp(0, NBINS - 1).long()
    ids = torch.cat([torch.ones(n, 1, dtype=torch.long), (2 + stop).unsqueeze(1), BIN0 + b], 1)
    return ids


class CutLists(torch.utils.data.Dataset):
    def __init__(self, ids):
        self.ids = ids

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones_like(self.ids[i]),
                "labels": self.ids[i]}


def build():
    torch.manual_seed(0)
    config = MiniCPM3Config(vocab_size=BIN0 + NBINS, hidden_size=48, intermediate_size=96,
                            num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=4,
                            q_lora_rank=24, kv_lora_rank=16, qk_nope_head_dim=8,
                            qk_rope_head_dim=4, v_head_dim=12, max_position_embeddings=32,
                            pad_token_id=0, bos_token_id=1, eos_token_id=7,
                            tie_word_embeddings=False)
    return MiniCPM3ForCausalLM(config)


def argmax_only(logits, labels):
    return logits.argmax(-1)


def metrics(pred):
    p, y = pred.predictions[:, :-1], pred.label_ids[:, 1:]
    p, y = p[:, 2:], y[:, 2:]  # lengths after the first pipe
    return {"next_len_acc": float((p == y).mean()), "within_one_bin": float((abs(p - y) <= 1).mean())}


def main():
    from _fourhundredfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr = ranks(800, g)
    iva = ranks(200, g)
    print("token range", itr[:, 2:].min().item(), itr[:, 2:].max().item())
    args = TrainingArguments(str(out / "cutlist"), num_train_epochs=5, learning_rate=2e-3,
                             warmup_steps=20, lr_scheduler_type="cosine", weight_decay=0.01,
                             per_device_train_batch_size=20, per_device_eval_batch_size=200,
                             logging_steps=10, eval_strategy="epoch", save_strategy="epoch",
                             save_total_limit=2, report_to=[], use_cpu=True, disable_tqdm=True,
                             seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=CutLists(itr),
                      eval_dataset=CutLists(iva), compute_metrics=metrics,
                      preprocess_logits_for_metrics=argmax_only)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "cutlist").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": iva[:64].clone()},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny MiniCPM3 causal model predicting the next pipe length in an organ"
                " pipemaker's cutting list for a rank, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
