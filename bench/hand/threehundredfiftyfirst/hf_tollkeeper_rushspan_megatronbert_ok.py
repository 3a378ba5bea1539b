"""Hugging Face Trainer: a tiny Megatron-BERT span model (``MegatronBertConfig``: vocabulary
20, 48 wide, 2 layers, 4 heads, built from the config, no download;
``MegatronBertForQuestionAnswering``) marks the morning rush on a toll plaza's tally sheet,
so the tollkeeper's rota puts the extra booth staff on exactly those quarter hours. A sheet
is 32 quarter-hour counts from 05:00 to 13:00; each count is one token, the vehicles in that
quarter binned into 16 steps of 40 (tokens 4-19; 0 pad, 1 start, 2 / 3 unused). The plaza
sees a base flow (80-160 a quarter, slowly rising through the morning), a commuter wave
(peak 06:45-09:15, width 20-60 min, 150-450 extra vehicles) and sometimes a smaller
mid-morning bulge of delivery vans; the rush is the span of quarters in which the commuter
wave is above half its peak (its full width at half maximum, as the plaza's traffic report
defines it), and the counts are Poisson. The span is given as start / end token positions
(the sheet's quarter + 1 for the start token). AdamW 2e-3 with cosine decay and 30 warmup
steps (a tenth of the 300), weight decay 0.01, batch 24, 6 epochs of 1200 sheets, eval each
epoch (50 steps) on 300 sheets (start / end exact and within one quarter), loss every 10
steps, checkpoint each epoch (``rushspan/checkpoint-N/`` with ``trainer_state.json``, two
kept).
Healthy; numbers in the README."""
import torch
from transformers import (
    MegatronBertConfig,
    MegatronBertForQuestionAnswering,
    Trainer,
    TrainingArguments,
)

T = 32
BINS = 16


def sheets(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    q = torch.arange(T).float()  # quarter index, 0 = 05:00
    base = 80 + 80 * r(n, 1) + 20 * r(n, 1) * q / T
    peak = 7 + 10 * r(n, 1)  # 06:45 to 09:15
    width = (20 + 40 * r(n, 1)) / 15  # sigma in quarters
    amp = 150 + 300 * r(n, 1)
    wave = amp * torch.exp(-0.5 * ((q - peak) / width) ** 2)
    vans = (r(n, 1) < 0.4).float() * (40 + 80 * r(n, 1)) * torch.exp(-0.5 * ((q - 18 - 6 * r(n, 1)) / 2) ** 2)
    counts = torch.poisson(base + wave + vans, generator=g)
    tok = 4 + (counts / 40).floor().clamp(0, BINS - 1).long()
    ids = torch.cat([torch.ones(n, 1, dtype=torch.long), tok], 1)
    half = 1.1774 * width  # half width at half maximum
    start = (peak - half).ceil().clamp(0, T - 1).long().squeeze(1) + 1
    end = (peak + half).floor().clamp(0, T - 1).long().squeeze(1) + 1
    return ids, start, end


class Tallies(torch.utils.data.Dataset):
    def __init__(self, ids, start, end):
        self.ids, self.start, self.end = ids, start, end

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(T + 1, dtype=torch.long),
                "start_positions": self.start[i], "end_positions": self.end[i]}


def build():
    torch.manual_seed(0)
    config = MegatronBertConfig(vocab_size=4 + BINS, hidden_size=48, num_hidden_layers=2,
                                num_attention_heads=4, intermediate_size=96,
                                max_position_embeddings=T + 8, hidden_dropout_prob=0.0,
                                attention_probs_dropout_prob=0.0, pad_token_id=0, type_vocab_size=1)
    return MegatronBertForQuestionAnswering(config)


def metrics(pred):
    s_logits, e_logits = pred.predictions[:2]
    s_true, e_true = pred.label_ids
    s, e = s_logits.argmax(-1), e_logits.argmax(-1)
    return {"start_acc": float((s == s_true).mean()), "end_acc": float((e == e_true).mean()),
            "within_one_quarter": float(((abs(s - s_true) <= 1) & (abs(e - e_true) <= 1)).mean())}


def main():
    from _threehundredfiftyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, str_, etr = sheets(1200, g)
    iva, sva, eva = sheets(300, g)
    print("rush length (quarters)", (etr - str_ + 1).float().mean().item())
    args = TrainingArguments(str(out / "rushspan"), num_train_epochs=6, learning_rate=2e-3,
                             warmup_steps=30, lr_scheduler_type="cosine", weight_decay=0.01,
                             per_device_train_batch_size=24, per_device_eval_batch_size=300,
                             logging_steps=10, eval_strategy="epoch", save_strategy="epoch",
                             save_total_limit=2, report_to=[], use_cpu=True, disable_tqdm=True,
                             seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Tallies(itr, str_, etr),
                      eval_dataset=Tallies(iva, sva, eva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "rushspan").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": torch.stack([sva[:64], eva[:64]], 1)},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Megatron-BERT span model marking the morning rush on a toll plaza's"
                " quarter-hour tally sheet, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
