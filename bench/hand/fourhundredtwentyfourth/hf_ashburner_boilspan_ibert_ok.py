"""Hugging Face Trainer: a tiny I-BERT span reader (``IBertConfig``: vocabulary 83, 48 wide,
2 layers, 4 heads, ``quant_mode=False``, built from the config, no download;
``IBertForQuestionAnswering``) marks the boil in an ashburner's potash-kettle log. The lye
leached from hardwood ash is boiled down in an iron kettle to "black salts"; the kettle
thermometer is read every 5 min, 40 readings a firing. The log goes: heating from the
morning's 10-25 °C at 3-8 °C a reading; the boil, a plateau at the lye's boiling point, 100.5
°C rising by up to 3.5 °C as the lye thickens (boiling-point elevation), 8-20 readings long;
then either the kettle boils dry and the salts heat fast (4-10 °C a reading), or the fire is
banked and the kettle cools (3-6 °C a reading). The span to mark is the boil: from the first
to the last reading on the plateau (the yard's rule for the fuel book). Each reading is one
token: the temperature in 2 °C bins from 0 to 160 °C (tokens 3-82; 0 start, 1 pad, 2 end),
thermometer noise 0.7 °C, so the plateau's edges are a little fuzzy.
AdamW 2e-3 with cosine decay and 25 warmup steps, weight decay 0.01, batch 24, 5 epochs of
1200 logs, eval every 50 steps on 240 logs (exact start / end and both within one reading),
loss every 10 steps, checkpoint every 50 steps (``kettle_spans/checkpoint-N/`` with
``trainer_state.json``).
Healthy; numbers in the README."""
import torch
from transformers import IBertConfig, IBertForQuestionAnswering, Trainer, TrainingArguments

T = 40
BINS = 80


def firings(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    t = torch.arange(T).float().unsqueeze(0)
    cold = 10 + 15 * r(n, 1)
    rate = 3 + 5 * r(n, 1)
    heat_end = torch.ceil((100.5 - cold) / rate)          # first reading on the plateau
    boil_len = torch.randint(8, 21, (n, 1), generator=g).float()
    boil_end = (heat_end + boil_len - 1).clamp(max=T - 2)  # last reading on the plateau
    heating = (cold + rate * t).clamp(max=100.5)
    prog = ((t - heat_end) / boil_len).clamp(0, 1)
    plateau = 100.5 + 3.5 * prog
    dry = r(n, 1) < 0.5
    after = t - boil_end
    top = 100.5 + 3.5 * ((boil_end - heat_end) / boil_len)
    tail = torch.where(dry, top + (4 + 6 * r(n, 1)) * after, top - (3 + 3 * r(n, 1)) * after)
    temp = torch.where(t < heat_end, heating, torch.where(t <= boil_end, plateau, tail))
    temp = temp + 0.7 * torch.randn(n, T, generator=g)
    tok = 3 + (temp / 2).floor().clamp(0, BINS - 1).long()
    ids = torch.cat([torch.zeros(n, 1, dtype=torch.long), tok,
                     torch.full((n, 1), 2, dtype=torch.long)], 1)
    # +1: position 0 is the start token
    return ids, heat_end.squeeze(1).long() + 1, boil_end.squeeze(1).long() + 1


class Logs(torch.utils.data.Dataset):
    def __init__(self, ids, start, end):
        self.ids, self.start, self.end = ids, start, end

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(T + 2, dtype=torch.long),
                "start_positions": self.start[i], "end_positions": self.end[i]}


def build():
    torch.manual_seed(0)
    config = IBertConfig(vocab_size=3 + BINS, hidden_size=48, num_hidden_layers=2,
                         num_attention_heads=4, intermediate_size=96,
                         max_position_embeddings=T + 8, hidden_dropout_prob=0.0,
                         attention_probs_dropout_prob=0.0, pad_token_id=1, bos_token_id=0,
                         eos_token_id=2, quant_mode=False)
    return IBertForQuestionAnswering(config)


def metrics(pred):
    s_log, e_log = pred.predictions[:2]
    s_true, e_true = pred.label_ids
    s, e = s_log.argmax(-1), e_log.argmax(-1)
    return {"start_exact": float((s == s_true).mean()), "end_exact": float((e == e_true).mean()),
            "span_within_one": float(((abs(s - s_true) <= 1) & (abs(e - e_true) <= 1)).mean())}


def main():
    from _fourhundredtwentyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, str_, etr = firings(1200, g)
    iva, sva, eva = firings(240, g)
    print("boil length", (etr - str_ + 1).float().mean().item(), "start", str_.float().mean().item())
    args = TrainingArguments(str(out / "kettle_spans"), num_train_epochs=5, learning_rate=2e-3,
                             warmup_steps=25, lr_scheduler_type="cosine", weight_decay=0.01,
                             per_device_train_batch_size=24, per_device_eval_batch_size=240,
                             logging_steps=10, eval_strategy="steps", eval_steps=50,
                             save_strategy="steps", save_steps=50, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Logs(itr, str_, etr),
                      eval_dataset=Logs(iva, sva, eva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "kettle_spans").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": torch.stack([sva[:64], eva[:64]], 1)},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny I-BERT span reader marking the boil in an ashburner's potash-kettle"
                " temperature log, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
